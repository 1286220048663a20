import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface ConsoleAsset {
  body: Buffer;
  contentType: string;
  /** Vite puts content-hashed files under /assets/: they never change, so browsers may keep them. */
  immutable: boolean;
}

/**
 * The built console (apps/console/dist), read once at start into memory: a few hundred kB. Only files found
 * there are ever served, by exact path, so no request path can reach outside the folder.
 */
export class ConsoleAssets {
  private readonly files = new Map<string, ConsoleAsset>();

  constructor(readonly dir: string) {
    if (existsSync(path.join(dir, 'index.html'))) this.load(dir, '');
  }

  get built(): boolean {
    return this.files.has('/index.html');
  }

  /** The file at a URL path (`/assets/index-abc.js`), or undefined. */
  file(urlPath: string): ConsoleAsset | undefined {
    return this.files.get(urlPath);
  }

  get index(): ConsoleAsset | undefined {
    return this.files.get('/index.html');
  }

  private load(dir: string, prefix: string): void {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      const urlPath = `${prefix}/${name}`;
      if (statSync(full).isDirectory()) this.load(full, urlPath);
      else {
        const contentType = CONTENT_TYPES[path.extname(name).toLowerCase()];
        if (contentType)
          this.files.set(urlPath, { body: readFileSync(full), contentType, immutable: urlPath.startsWith('/assets/') });
      }
    }
  }
}
