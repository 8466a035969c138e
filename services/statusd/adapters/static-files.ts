/**
 * The page: plain files from www_dir, read once at start into memory (a
 * handful of kilobytes), served with an ETag. Nothing is built or fetched at
 * run time; no other path of the file system is reachable.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from './http-util';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
}

export class StaticFiles {
  private constructor(private readonly files: ReadonlyMap<string, StaticFile>) {}

  /** Load every servable file of `dir` (not recursive). */
  static async load(dir: string): Promise<StaticFiles> {
    const files = new Map<string, StaticFile>();
    for (const name of await fs.readdir(dir)) {
      const type = TYPES[path.extname(name)];
      if (type === undefined || name.startsWith('.')) continue;
      const body = await fs.readFile(path.join(dir, name));
      files.set(`/${name}`, { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` });
    }
    const index = files.get('/index.html');
    if (index !== undefined) files.set('/', index);
    return new StaticFiles(files);
  }

  has(urlPath: string): boolean {
    return this.files.has(urlPath);
  }

  get names(): string[] {
    return [...this.files.keys()];
  }

  /** Serve GET/HEAD of a known path; false when there is no such file. */
  serve(urlPath: string, req: IncomingMessage, res: ServerResponse): boolean {
    const f = this.files.get(urlPath);
    if (f === undefined) return false;
    const headers = { ...SECURITY_HEADERS, 'content-type': f.type, etag: f.etag, 'cache-control': 'no-cache' };
    if (req.headers['if-none-match'] === f.etag) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    res.writeHead(200, { ...headers, 'content-length': String(f.body.length) });
    res.end(req.method === 'HEAD' ? undefined : f.body);
    return true;
  }
}
