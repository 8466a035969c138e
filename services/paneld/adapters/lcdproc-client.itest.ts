/**
 * LcdprocClient and LcdScreens against the real LCDd (text and curses
 * drivers): handshake, quoting as rendered, refusals, keys, reconnect.
 */
import test from 'ava';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { LcdprocClient, type DisplayInfo } from './lcdproc-client';
import { LcdScreens } from './lcd-screens';
import { LcddRig, freePort } from '../testing/lcdd-rig';
import { waitFor } from '../../../scripts/sim/exec';
import { isAppError } from '../../runtime/errors';

async function tempDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'paneld-lcd-'));
  await fs.chmod(dir, 0o755);
  t.teardown(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

test('handshake, a screen with quoted text as LCDd renders it, huh? as LCDPROC_REFUSED', async (t) => {
  const dir = await tempDir(t);
  const lcd = await LcddRig.start({ dir, driver: 'text', width: 20, height: 4 });
  t.teardown(() => lcd.stop());
  let display: DisplayInfo | null = null;
  const client = new LcdprocClient({ port: lcd.port, clientName: 'itest' }, { onConnect: (d) => void (display = d) });
  t.teardown(() => client.stop());
  client.start();
  await waitFor('connected', () => client.connected);
  t.like(display, { width: 20, height: 4, serverVersion: '0.5.9' });
  const screens = new LcdScreens(client, (err) => t.log(err));
  await screens.reset(client.display!);
  await screens.show([{ id: 'main', priority: 'foreground', lines: ['He said "hi" \\ {x}', 'Grüße', 'line three is longer than twenty', ''] }]);
  const want = ['He said "hi" \\ {x}  ', 'Gr??e               ', 'line three is longer', '                    '];
  t.deepEqual(await lcd.waitForFrame((r) => r.join('|') === want.join('|')), want);
  const err = await t.throwsAsync(client.request('widget_set nosuch w 1 1 "x"'));
  t.true(isAppError(err, 'LCDPROC_REFUSED'), String(err));
  t.is((await client.request('noop')).kind, 'other');
  t.true(client.connected);
});

test('LCDd absent at start, then started, killed -9 and restarted: the client comes back and the screen is redrawn', async (t) => {
  const dir = await tempDir(t);
  const port = await freePort();
  let connects = 0;
  let screens: LcdScreens | null = null;
  const client = new LcdprocClient({ port, backoffMs: [50, 100, 200] }, {
    onConnect: async (d) => {
      connects += 1;
      await screens?.reset(d);
    },
    onDisconnect: () => screens?.disconnected(),
  });
  screens = new LcdScreens(client);
  void screens.show([{ id: 'main', priority: 'foreground', lines: ['back again', ''] }]);
  t.teardown(() => client.stop());
  client.start();
  await new Promise((r) => setTimeout(r, 300));
  t.false(client.connected);
  const lcd = await LcddRig.start({ dir, driver: 'text', width: 16, height: 2, port });
  t.teardown(() => lcd.stop());
  await lcd.waitForFrame((r) => r[0] === 'back again      ');
  await lcd.kill();
  await waitFor('disconnected', () => !client.connected);
  await lcd.launch();
  await lcd.waitForFrame((r) => r[0] === 'back again      ');
  t.is(connects, 2);
});

test('keys through the curses driver reach the client (tmux send-keys)', async (t) => {
  const dir = await tempDir(t);
  const lcd = await LcddRig.start({ dir, driver: 'curses', width: 16, height: 2 });
  t.teardown(() => lcd.stop());
  const keys: string[] = [];
  let reserved = false;
  let shown = false;
  const client = new LcdprocClient({ port: lcd.port }, {
    onConnect: async () => {
      await client.screenAdd('k');
      await client.screenSet('k', { priority: 'foreground', heartbeat: 'off' });
      await client.clientAddKey(['Up', 'Down', 'Left', 'Right', 'Enter', 'Escape']);
      reserved = true;
    },
    onKey: (k) => keys.push(k),
    // LCDd hands keys to the client whose screen is shown: wait until ours is.
    onListen: () => void (shown = true),
  });
  t.teardown(() => client.stop());
  client.start();
  await waitFor('keys reserved and screen shown', () => reserved && shown);
  for (const k of ['Up', 'Down', 'Enter', 'Escape'] as const) await lcd.pressKey(k);
  await waitFor('4 keys', () => keys.length >= 4, 5000).catch(() => undefined);
  t.deepEqual(keys, ['Up', 'Down', 'Enter', 'Escape']);
});
