/**
 * The web UI's admin password as the console banner and the LCD show it
 * (issue #20, first login): while admin still has the unit's initial
 * password (statusd's AdminPassword "initial"), the console and the panel
 * show it, since whoever stands at the console may read it; once changed,
 * they say so and how to reset it. Pure.
 *
 * The password is shown only where a person at the unit reads it: the banner
 * file (mode 0600, agetty reads it as root) and the LCD. Every other copy of
 * what paneld shows — its D-Bus properties, Status(), the SIGUSR1 dump, the
 * log — is made from hidePassword(input), which puts a placeholder in its
 * place.
 *
 *   statusd not on the bus -> unknown (no banner line)
 *   AdminPassword "initial" -> initial-unread -> InitialPassword() -> initial (password)
 *                                           \-> refused / malformed -> initial-unread
 *   AdminPassword "changed" -> changed
 */
import type { PanelInput, WebPassword } from './panel-input';
import { pick, wrap } from './screens';

export type { WebPassword };

export const WEB_PASSWORD_UNKNOWN: WebPassword = { kind: 'unknown' };

/**
 * Printable ASCII, no blanks, at most 64: statusd's passwords are
 * `xxxx-xxxx-xxxx-xxxx`; anything else (a control character would reach
 * agetty's escapes and the LCD protocol) is not shown.
 */
export function isShowablePassword(p: unknown): p is string {
  return typeof p === 'string' && /^[\x21-\x7e]{1,64}$/.test(p);
}

/** statusd's AdminPassword property (+ what InitialPassword() returned, if anything). */
export function webPasswordOf(adminPassword: unknown, password: string | null): WebPassword {
  if (adminPassword === 'changed') return { kind: 'changed' };
  if (adminPassword !== 'initial') return WEB_PASSWORD_UNKNOWN;
  return password !== null && isShowablePassword(password) ? { kind: 'initial', password } : { kind: 'initial-unread' };
}

/** The same state without the password itself: for every copy that is not the console or the LCD. */
export function hideWebPassword(w: WebPassword): WebPassword {
  return w.kind === 'initial' ? { kind: 'initial-hidden' } : w;
}

/** The password's text, or null: to know whether the banner file holds a secret. */
export function shownPassword(w: WebPassword): string | null {
  return w.kind === 'initial' ? w.password : null;
}

/** The banner's line after the label "Web UI login:", or null for none. */
export function bannerLoginText(w: WebPassword): string | null {
  const initial = '(initial password: you will be asked to change it)';
  switch (w.kind) {
    case 'unknown':
      return null;
    case 'initial':
      return `admin / ${w.password}  ${initial}`;
    case 'initial-hidden':
      return `admin / (on the console)  ${initial}`;
    case 'initial-unread':
      return 'admin / (the initial password could not be read from statusd yet)';
    case 'changed':
      return 'admin, password changed by the administrator (to reset it: log in here as "setup")';
  }
}

/**
 * A password on rows of at most `width`: whole when it fits, else cut
 * between its dash-separated groups into rows of about equal length
 * (16 columns: `abcd-efgh-` / `jkmn-pqrs`), and only cut inside a group
 * when a group alone is too long.
 */
export function passwordRows(p: string, width: number): string[] {
  if (p.length <= width) return [p];
  const groups = p.split('-');
  for (let n = Math.ceil(p.length / width); n <= groups.length; n++) {
    const per = Math.ceil(groups.length / n);
    const rows: string[] = [];
    for (let k = 0; k < groups.length; k += per) rows.push(groups.slice(k, k + per).join('-') + (k + per >= groups.length ? '' : '-'));
    if (rows.every((r) => r.length <= width)) return rows;
  }
  return wrap(p, width);
}

/** The LCD's "Web password" screen (below its title on displays with 3+ rows). */
export function webPasswordRows(w: WebPassword, width: number): string[] {
  const user = pick(width, 'User admin', 'admin');
  switch (w.kind) {
    case 'unknown':
      return wrap('Web UI (statusd) not running', width);
    case 'initial':
      return [user, ...passwordRows(w.password, width), pick(width, 'Change at 1st login', 'Change at login', 'Initial')];
    case 'initial-hidden':
      return [user, ...wrap('(shown on the panel)', width)];
    case 'initial-unread':
      return wrap('Initial password not readable yet', width);
    case 'changed':
      return wrap('Changed. To reset it: console login "setup"', width);
  }
}

/** The input as every copy but the console's and the LCD's gets it. */
export function hidePassword(i: PanelInput): PanelInput {
  return i.web.kind === 'initial' ? { ...i, web: hideWebPassword(i.web) } : i;
}

/** `text` with the shown password replaced: for a log line that may quote what went to the LCD (LCDd's refusals). */
export function redactPassword(text: string, w: WebPassword): string {
  return w.kind === 'initial' ? text.split(w.password).join('(password)') : text;
}
