/**
 * The console network setup wizard as a pure state machine: an answer (or
 * EOF) in, text to print and the next prompt out. Plain lines only, so it
 * works on a serial console (no colours, no cursor movement).
 *
 *   address -> gateway -> dns1 -> dns2 -> confirm --y--> applying -> finished
 *      ^  bad answer: the reason, same question      |n        | failed: reason
 *      +---------------------------------------------+---------+
 *   EOF at any prompt -> aborted (nothing applied);  q at confirm -> quit
 */
import { cidrText, type Cidr } from '../../runtime/netconf/ip';
import { checkAddress, checkDns, checkGateway, type Answer } from './wizard-answers';

export const TITLE = 'LBOS basic network set up';
export const PROMPTS = {
  address: 'Static IP address (eg. 192.168.2.21/24) : ',
  gateway: 'Default gateway (eg. 192.168.2.1) : ',
  dns1: 'Primary DNS server : ',
  dns2: 'Secondary DNS server (optional) : ',
  confirm: 'Apply these settings? (y = apply, n = start again, q = quit) : ',
  finish: 'Press Enter to finish...',
} as const;

export const WEB_HTTP_PORT = 9080;
export const WEB_HTTPS_PORT = 9443;

/** What the wizard applies to the management interface. */
export interface WizardSettings {
  iface: string;
  address: Cidr;
  gateway: string;
  dns: string[];
}

export type WizardPhase = keyof typeof PROMPTS | 'applying' | 'done';

export interface WizardState {
  phase: WizardPhase;
  iface: string;
  address?: Cidr;
  gateway?: string;
  dns1?: string;
  dns2?: string | null;
}

export interface WizardReply {
  print: string[];
  /** Next prompt (printed without a newline), or null. */
  prompt: string | null;
  /** Set when the driver must apply these settings now. */
  apply?: WizardSettings;
  /** Set when the wizard ends: 'applied', 'quit' (declined), 'eof' (input closed). */
  exit?: 'applied' | 'quit' | 'eof';
}

/** Checks of the settings against the rest of the configuration (overlaps...): a reason, or null. */
export interface WizardContext {
  check(settings: WizardSettings): string | null;
  /** Extra lines for the summary (e.g. static routes the change drops). */
  notes?(settings: WizardSettings): string[];
}

export const webUrls = (address: Cidr): string[] => [`http://${address.address}:${WEB_HTTP_PORT}/`, `https://${address.address}:${WEB_HTTPS_PORT}/`];

export function wizardStart(iface: string): [WizardState, WizardReply] {
  const intro = [TITLE, '', `This sets the address of ${iface} (the management interface), the default gateway`, 'and the DNS servers. Other interfaces keep their configuration.', ''];
  return [{ phase: 'address', iface }, { print: intro, prompt: PROMPTS.address }];
}

const ask = (s: WizardState, phase: keyof typeof PROMPTS, print: string[] = []): [WizardState, WizardReply] => [{ ...s, phase }, { print, prompt: PROMPTS[phase] }];

function retry<T>(s: WizardState, a: Answer<T>): [WizardState, WizardReply] | null {
  if (a.ok) return null;
  return ask(s, s.phase as keyof typeof PROMPTS, [`  Not accepted: ${a.reason}.`, '  Please try again.']);
}

export function settingsOf(s: WizardState): WizardSettings | null {
  if (s.address === undefined || s.gateway === undefined || s.dns1 === undefined) return null;
  return { iface: s.iface, address: s.address, gateway: s.gateway, dns: s.dns2 ? [s.dns1, s.dns2] : [s.dns1] };
}

export function summary(w: WizardSettings, notes: string[] = []): string[] {
  return [
    '',
    'Summary of settings',
    '',
    `  Interface:          ${w.iface}`,
    `  Static IP address:  ${cidrText(w.address)}`,
    `  Default gateway:    ${w.gateway}`,
    `  DNS servers:        ${w.dns.join(' ')}`,
    '',
    'The web interface will be at:',
    ...webUrls(w.address).map((u) => `  ${u}`),
    '',
    ...(notes.length > 0 ? [...notes, ''] : []),
  ];
}

/** One line of input (null = end of input). */
export function wizardInput(s: WizardState, input: string | null, ctx: WizardContext): [WizardState, WizardReply] {
  if (input === null) {
    if (s.phase === 'finish') return [{ ...s, phase: 'done' }, { print: [], prompt: null, exit: 'applied' }];
    return [{ ...s, phase: 'done' }, { print: ['', 'Aborted: nothing was changed.'], prompt: null, exit: 'eof' }];
  }
  switch (s.phase) {
    case 'address': {
      const a = checkAddress(input);
      return retry(s, a) ?? ask({ ...s, address: a.ok ? a.value : undefined }, 'gateway');
    }
    case 'gateway': {
      const a = checkGateway(input, s.address ?? { address: '0.0.0.0', prefix: 0, family: 4 });
      return retry(s, a) ?? ask({ ...s, gateway: a.ok ? a.value : undefined }, 'dns1');
    }
    case 'dns1': {
      const a = checkDns(input, false);
      return retry(s, a) ?? ask({ ...s, dns1: a.ok ? a.value ?? undefined : undefined }, 'dns2');
    }
    case 'dns2': {
      const a = checkDns(input, true, s.dns1);
      if (!a.ok) return retry(s, a) ?? ask(s, 'dns2');
      const next = { ...s, dns2: a.value };
      const w = settingsOf(next);
      if (w === null) return ask(next, 'address');
      const why = ctx.check(w);
      if (why !== null) return ask({ phase: 'address', iface: s.iface }, 'address', ['', `  These settings do not fit the rest of the configuration: ${why}`, '  Please start again.', '']);
      return ask(next, 'confirm', summary(w, ctx.notes?.(w) ?? []));
    }
    case 'confirm': {
      const a = input.trim().toLowerCase();
      const w = settingsOf(s);
      if ((a === 'y' || a === 'yes') && w !== null) return [{ ...s, phase: 'applying' }, { print: ['Applying...'], prompt: null, apply: w }];
      if (a === 'n' || a === 'no') return ask({ phase: 'address', iface: s.iface }, 'address', ['', 'Starting again.', '']);
      if (a === 'q' || a === 'quit') return [{ ...s, phase: 'done' }, { print: ['Nothing was changed.'], prompt: null, exit: 'quit' }];
      return ask(s, 'confirm', ['  Please answer y, n or q.']);
    }
    case 'finish':
      return [{ ...s, phase: 'done' }, { print: [], prompt: null, exit: 'applied' }];
    case 'applying':
    case 'done':
      return [s, { print: [], prompt: null }];
  }
}

/** nicd applied the settings. */
export function wizardApplied(s: WizardState, generation: number): [WizardState, WizardReply] {
  const urls = s.address === undefined ? [] : webUrls(s.address);
  return ask(s, 'finish', [
    `Done: the settings are in force and saved (configuration generation ${generation}).`,
    '',
    `You may now connect the ${s.iface} network interface to your switch, and`,
    'continue configuration through the web interface on:',
    ...urls.map((u) => `  ${u}`),
    '',
  ]);
}

/** nicd refused or failed: say why and start again. */
export function wizardApplyFailed(s: WizardState, reason: string): [WizardState, WizardReply] {
  return ask({ phase: 'address', iface: s.iface }, 'address', [`Not applied: ${reason}`, 'Nothing was changed. Please start again.', '']);
}
