import test from 'ava';
import { hidePassword, isShowablePassword, passwordRows, redactPassword, shownPassword, webPasswordOf, webPasswordRows } from './web-password';
import type { WebPassword } from './panel-input';
import { healthy } from '../testing/inputs';
import { bannerText } from './banner';
import { alertsOf } from './alerts';
import { panelView } from './panel-view';
import { CLOSED } from './menu';

const PW = 'abcd-efgh-jkmn-pqrs';

test('statusd AdminPassword (+ the password read) -> what is shown', (t) => {
  const table: [unknown, string | null, WebPassword][] = [
    [undefined, null, { kind: 'unknown' }],
    ['', null, { kind: 'unknown' }],
    [42, PW, { kind: 'unknown' }],
    ['initial', null, { kind: 'initial-unread' }],
    ['initial', PW, { kind: 'initial', password: PW }],
    ['initial', 'two words', { kind: 'initial-unread' }],
    ['initial', 'x\x1b[2Jy', { kind: 'initial-unread' }],
    ['initial', 'a'.repeat(65), { kind: 'initial-unread' }],
    ['changed', PW, { kind: 'changed' }],
    ['changed', null, { kind: 'changed' }],
  ];
  for (const [admin, pw, want] of table) t.deepEqual(webPasswordOf(admin, pw), want, `${String(admin)} ${String(pw)}`);
  t.true(isShowablePassword(PW));
  t.false(isShowablePassword(''));
});

test('hidden copies: the input, its banner and LCD rows never hold the password', (t) => {
  const input = healthy({ web: { kind: 'initial', password: PW } });
  const hidden = hidePassword(input);
  t.deepEqual(hidden.web, { kind: 'initial-hidden' });
  t.is(shownPassword(input.web), PW);
  t.is(shownPassword(hidden.web), null);
  t.false(JSON.stringify(hidden).includes(PW));
  t.false(bannerText(hidden, alertsOf(hidden)).includes(PW));
  t.true(bannerText(input, alertsOf(input)).includes(PW));
  // The menu open at "Web password": the LCD shows it, the hidden view does not.
  const menu = { state: { at: 'info' as const, item: 'web-password' as const, index: 7, scroll: 0 }, lastKeyMs: 0 };
  t.true(panelView(input, menu, { width: 20, height: 4 }, 0, 4000).rows.includes(PW));
  t.false(JSON.stringify(panelView(hidden, menu, { width: 20, height: 4 }, 0, 4000)).includes(PW));
  t.false(JSON.stringify(panelView(hidden, CLOSED, { width: 20, height: 4 }, 0, 4000)).includes(PW));
  for (const w of [{ kind: 'changed' } as const, { kind: 'unknown' } as const]) t.is(hidePassword(healthy({ web: w })).web, w);
  t.is(redactPassword(`LCDd refused "widget_set lbos r3 1 3 {${PW}}"`, input.web), 'LCDd refused "widget_set lbos r3 1 3 {(password)}"');
  t.is(redactPassword('no secret here', hidden.web), 'no secret here');
});

test('password rows: whole when it fits, else cut between groups into even rows', (t) => {
  const table: [string, number, string[]][] = [
    [PW, 20, [PW]],
    [PW, 19, [PW]],
    [PW, 16, ['abcd-efgh-', 'jkmn-pqrs']],
    [PW, 8, ['abcd-', 'efgh-', 'jkmn-', 'pqrs']],
    ['abcdefghijklmnopqrstu', 16, ['abcdefghijklmnop', 'qrstu']],
  ];
  for (const [p, w, want] of table) t.deepEqual(passwordRows(p, w), want, `${p} in ${w}`);
});

test('LCD screen "Web password" for each state, within the width', (t) => {
  const table: [WebPassword, number, string[]][] = [
    [{ kind: 'initial', password: PW }, 20, ['User admin', PW, 'Change at 1st login']],
    [{ kind: 'initial', password: PW }, 16, ['User admin', 'abcd-efgh-', 'jkmn-pqrs', 'Change at login']],
    [{ kind: 'initial-hidden' }, 20, ['User admin', '(shown on the panel)']],
    [{ kind: 'initial-unread' }, 16, ['Initial password', 'not readable yet']],
    [{ kind: 'changed' }, 20, ['Changed. To reset', 'it: console login', '"setup"']],
    [{ kind: 'changed' }, 16, ['Changed. To', 'reset it:', 'console login', '"setup"']],
    [{ kind: 'unknown' }, 16, ['Web UI (statusd)', 'not running']],
  ];
  for (const [w, width, want] of table) {
    const rows = webPasswordRows(w, width);
    t.deepEqual(rows, want, `${w.kind} ${width}`);
    t.true(rows.every((r) => r.length <= width));
  }
});
