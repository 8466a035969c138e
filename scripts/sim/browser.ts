/**
 * Headless Chromium (the Debian package) for browser tests, run inside a
 * network namespace of the simulation kit: playwright starts it through a
 * wrapper script (`ip netns exec NS chromium "$@"`) and talks to it over
 * the pipe it inherits, so no debugging port is opened anywhere. Flags keep
 * it off the network: the machine has no internet.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-default-apps', '--disable-extensions', '--no-default-browser-check'];

export interface NsBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/** Launch Chromium inside `ns`; playwright gives it a fresh --user-data-dir. */
export async function launchInNamespace(ns: string): Promise<NsBrowser> {
  if (!/^[A-Za-z0-9_-]+$/.test(ns)) throw new Error(`bad namespace name ${ns}`);
  const dir = mkdtempSync('/tmp/statusd-chromium-');
  const wrapper = path.join(dir, 'chromium-in-ns');
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${ns} ${CHROMIUM} "$@"\n`);
  chmodSync(wrapper, 0o755);
  try {
    const browser = await chromium.launch({ executablePath: wrapper, args: CHROMIUM_FLAGS, headless: true, timeout: 60_000 });
    return {
      browser,
      close: async () => {
        await browser.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
