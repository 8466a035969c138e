/**
 * Text out of a NetConfig (the wizard edits a parsed config and writes it
 * back), the generation header of saved files, and resolv.conf.
 */
import { cidrText } from './ip';
import type { LinkDecl, NetConfig } from './types';

const INDENT = '    ';

function blockHeader(l: LinkDecl): string {
  if (l.vlan !== undefined) return `vlan ${l.name} ${l.vlan.parent} ${l.vlan.id}`;
  if (l.bond !== undefined) return `bond ${l.name} ${l.bond.mode} ${l.bond.slaves.join(' ')}`;
  return `interface ${l.name}`;
}

function renderBlock(l: LinkDecl): string[] {
  const out = [blockHeader(l)];
  for (const a of l.addresses) out.push(`${INDENT}address ${cidrText(a)}`);
  if (l.mtu !== null) out.push(`${INDENT}mtu ${l.mtu.value}`);
  if (l.admin.value === 'down') out.push(`${INDENT}down`);
  for (const g of l.gateways) out.push(`${INDENT}gateway ${g.via}`);
  for (const r of l.routes) out.push(`${INDENT}route ${cidrText(r.dst)} via ${r.via}`);
  return out;
}

/** The config as network.conf text (comments of the original are not kept). */
export function renderConfig(c: NetConfig, header: string[] = []): string {
  const out = header.map((h) => `# ${h}`);
  if (c.generation !== null) out.push(`generation ${c.generation}`);
  if (c.hostname !== null) out.push(`hostname ${c.hostname.value}`);
  if (c.dns.length > 0) out.push(`dns ${c.dns.map((d) => d.address).join(' ')}`);
  if (c.search.length > 0) out.push(`search ${c.search.map((s) => s.domain).join(' ')}`);
  for (const l of c.links) {
    out.push('', ...renderBlock(l));
  }
  return `${out.join('\n')}\n`;
}

const GENERATION_LINE = /^[ \t]*generation\b[^\n]*(\n|$)/gm;

/**
 * The text as it is saved: the operator's text, comments and all, with its
 * `generation` lines replaced by one `generation N` at the top.
 */
export function withGeneration(text: string, generation: number): string {
  const body = text.replace(GENERATION_LINE, '').replace(/^\n+/, '');
  return `generation ${generation}\n${body.endsWith('\n') || body === '' ? body : `${body}\n`}`;
}

/** The text without its generation line, to tell a real change from a re-submission. */
export const withoutGeneration = (text: string): string => text.replace(GENERATION_LINE, '').trim();

/** resolv.conf for the config's DNS servers and search domains; null when the config names none. */
export function renderResolvConf(c: NetConfig): string | null {
  if (c.dns.length === 0 && c.search.length === 0) return null;
  const lines = ['# Written by nicd from the network configuration (/etc/lbos/network.conf).', '# Change it with nicctl, the setup wizard or the web UI: edits here are overwritten.'];
  for (const d of c.dns) lines.push(`nameserver ${d.address}`);
  if (c.search.length > 0) lines.push(`search ${c.search.map((s) => s.domain).join(' ')}`);
  return `${lines.join('\n')}\n`;
}
