/**
 * The LCDproc client/server protocol (LCDd, TCP 13666), pure: line framing,
 * quoting of arguments, decoding of what the server sends. No sockets here;
 * adapters/lcdproc-client.ts does the I/O. Reference: LCDproc Developer's
 * Guide, "Client/server protocol" (lcdproc 0.5.x, protocol 0.3/0.4).
 *
 *   client                         server
 *   hello                    ->    connect LCDproc 0.5.9 protocol 0.3 lcd wid 20 hgt 4 cellwid 5 cellhgt 8
 *   client_set -name paneld  ->    success
 *   widget_set s w 1 1 "x"   ->    success | huh? <why>
 *   (any time)               <-    listen <screen> | ignore <screen> | key <name> | menuevent <type> <id> [value]
 *
 * Every command gets exactly one reply line (success, huh?, or the command's
 * own answer such as "noop complete"); the asynchronous lines come in between.
 * Decoding never throws: a line it cannot make sense of is a `bad` verdict.
 */

/** What the server said about its display in the connect line. */
export interface DisplayInfo {
  serverVersion: string;
  protocolVersion: string;
  width: number;
  height: number;
  cellWidth: number;
  cellHeight: number;
}

export type MenuEventType = 'select' | 'update' | 'plus' | 'minus' | 'enter' | 'leave';

/** One decoded server line. */
export type ServerLine =
  | { kind: 'connect'; display: DisplayInfo }
  | { kind: 'success' }
  | { kind: 'huh'; message: string }
  | { kind: 'listen'; screen: string }
  | { kind: 'ignore'; screen: string }
  | { kind: 'key'; key: string }
  | { kind: 'menuevent'; event: MenuEventType; id: string; value: string | null }
  | { kind: 'bye' }
  /** Anything else that answers a command (noop complete, info text). */
  | { kind: 'other'; text: string }
  | { kind: 'bad'; reason: string; line: string };

/** Longest display dimension accepted from a server (LCDd's own limit is 256). */
export const MAX_DIMENSION = 256;

/** The asynchronous kinds, which never answer a command. */
export function isAsync(l: ServerLine): boolean {
  return l.kind === 'listen' || l.kind === 'ignore' || l.kind === 'key' || l.kind === 'menuevent';
}

const MENU_EVENTS: readonly MenuEventType[] = ['select', 'update', 'plus', 'minus', 'enter', 'leave'];

export function decodeServerLine(raw: string): ServerLine {
  const line = raw.replace(/\r$/, '');
  const bad = (reason: string): ServerLine => ({ kind: 'bad', reason, line: line.slice(0, 200) });
  if (line === '') return bad('empty line');
  const words = line.split(' ').filter((w) => w !== '');
  const [head = '', ...rest] = words;
  switch (head) {
    case 'connect':
      return decodeConnect(rest, bad);
    case 'success':
      return rest.length === 0 ? { kind: 'success' } : { kind: 'other', text: line };
    case 'huh?':
      return { kind: 'huh', message: line.slice(4).trim() };
    case 'listen':
    case 'ignore':
      if (rest.length !== 1 || rest[0] === undefined) return bad(`${head} takes one screen id`);
      return { kind: head, screen: rest[0] };
    case 'key':
      if (rest.length !== 1 || rest[0] === undefined) return bad('key takes one key name');
      return { kind: 'key', key: rest[0] };
    case 'menuevent': {
      const [event = '', id, value] = rest;
      if (!MENU_EVENTS.includes(event as MenuEventType) || id === undefined || rest.length > 3) return bad('menuevent <select|update|plus|minus|enter|leave> <id> [value]');
      return { kind: 'menuevent', event: event as MenuEventType, id, value: value ?? null };
    }
    case 'bye':
      return { kind: 'bye' };
    default:
      return { kind: 'other', text: line };
  }
}

function decodeConnect(words: string[], bad: (r: string) => ServerLine): ServerLine {
  const after = (w: string): string | undefined => {
    const i = words.indexOf(w);
    return i === -1 ? undefined : words[i + 1];
  };
  const serverVersion = after('LCDproc');
  const protocolVersion = after('protocol');
  if (serverVersion === undefined || protocolVersion === undefined) return bad('connect line without "LCDproc <version> protocol <version>"');
  const dims: number[] = [];
  for (const key of ['wid', 'hgt', 'cellwid', 'cellhgt']) {
    const text = after(key) ?? '';
    if (!/^\d{1,4}$/.test(text) || Number(text) < 1 || Number(text) > MAX_DIMENSION) return bad(`connect line: ${key} "${text}" is not 1..${MAX_DIMENSION}`);
    dims.push(Number(text));
  }
  const [width = 0, height = 0, cellWidth = 0, cellHeight = 0] = dims;
  return { kind: 'connect', display: { serverVersion, protocolVersion, width, height, cellWidth, cellHeight } };
}

/**
 * Splits a byte stream into lines. A line longer than `maxLine` is dropped
 * (reported once as a bad line) up to its newline, so a broken server
 * cannot make the client buffer without bound.
 */
export class LineSplitter {
  private buf = '';
  private skipping = false;

  constructor(private readonly maxLine = 8192) {}

  /** Feed a chunk; returns the complete lines and the overlong ones' verdicts. */
  push(chunk: string): ServerLine[] {
    const out: ServerLine[] = [];
    let data = this.buf + chunk;
    this.buf = '';
    for (;;) {
      const nl = data.indexOf('\n');
      if (nl === -1) break;
      const line = data.slice(0, nl);
      data = data.slice(nl + 1);
      if (this.skipping) {
        this.skipping = false;
        continue;
      }
      out.push(line.length > this.maxLine ? tooLong(line) : decodeServerLine(line));
    }
    if (data.length > this.maxLine) {
      if (!this.skipping) out.push(tooLong(data));
      this.skipping = true;
      data = '';
    }
    this.buf = data;
    return out;
  }

  reset(): void {
    this.buf = '';
    this.skipping = false;
  }
}

function tooLong(line: string): ServerLine {
  return { kind: 'bad', reason: 'line too long', line: line.slice(0, 200) };
}

/**
 * One argument as LCDd's parser reads it: double-quoted, with `\` and `"`
 * escaped. Control characters (a newline would end the command) become
 * spaces, and characters outside printable ASCII become `?`: character LCDs
 * have their own charset and LCDd passes bytes through.
 */
export function quoteArg(text: string): string {
  return `"${displaySafe(text).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Printable ASCII only (see quoteArg). */
export function displaySafe(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0x3f;
    out += c < 0x20 || c === 0x7f ? ' ' : c > 0x7e ? '?' : ch;
  }
  return out;
}

/** Ids of screens and widgets: LCDd splits on spaces and treats quotes specially. */
export function isValidId(id: string): boolean {
  return /^[A-Za-z0-9_.-]{1,64}$/.test(id);
}

/** Build one command line (without the newline): words as they are, strings quoted. */
export function command(name: string, ...args: (string | number | { raw: string })[]): string {
  const parts = [name];
  for (const a of args) parts.push(typeof a === 'number' ? String(Math.trunc(a)) : typeof a === 'string' ? quoteArg(a) : a.raw);
  return parts.join(' ');
}
