/**
 * What dbus-next gets for `require('xml2js')` in the appliance's bundled
 * programs (rootfs/lib/bundle.mjs redirects only dbus-next's imports here).
 * dbus-next loads xml2js, with sax and xmlbuilder, when its modules load and
 * makes a Builder for every bus connection, yet XML is built only to answer
 * an Introspect call and parsed only by proxy objects (the ctl tools and
 * paneld's menu actions: services/runtime/dbus-raw.ts follows the others
 * without one). Loading xml2js at the first use instead took ~80 ms of CPU
 * off every service start on the emulated appliance (rootfs/README.md,
 * "Boot time"). The real module is then required from node_modules, beside
 * the bundle.
 */
import { createRequire } from 'node:module';

interface Xml2js {
  Builder: new (options?: unknown) => { buildObject(rootObj: unknown): string };
  Parser: new (options?: unknown) => unknown;
}

let real: Xml2js | null = null;

function load(): Xml2js {
  real ??= createRequire(__filename)('xml2js') as Xml2js;
  return real;
}

/** True once xml2js has been loaded (for tests). */
export function loaded(): boolean {
  return real !== null;
}

/** xml2js.Builder, made at its first buildObject. */
export class Builder {
  private builder: InstanceType<Xml2js['Builder']> | null = null;

  constructor(private readonly options?: unknown) {}

  buildObject(rootObj: unknown): string {
    this.builder ??= new (load().Builder)(this.options);
    return this.builder.buildObject(rootObj);
  }
}

/** xml2js.Parser (a proxy object parses at once: loaded when made). */
export const Parser = function Parser(options?: unknown): unknown {
  return new (load().Parser)(options);
} as unknown as Xml2js['Parser'];
