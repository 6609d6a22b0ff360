import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import { basename } from 'node:path';
import type { PackedPackage } from './pack.js';

/** An npm registry on loopback that serves only the packed tarballs. */
export interface LocalRegistry {
  /** Give it to npm as `--@<scope>:registry=<url>`; everything else still comes from npm. */
  readonly url: string;
  /** The package names npm asked for, in order. */
  readonly requested: string[];
  close(): Promise<void>;
}

/**
 * Serves the packed packages the way the npm registry serves published ones (a packument per
 * name, with the tarball's URL and integrity), so `npm install @mcpmx/client` resolves the
 * client's own `@mcpmx/*` dependencies by version, as it would once they are published. The
 * URL holds a random path, so npm's cache never answers for a tarball of another run.
 */
export async function startLocalRegistry(
  packages: readonly PackedPackage[],
): Promise<LocalRegistry> {
  const base = `/${randomBytes(8).toString('hex')}`;
  const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
  const byFile = new Map(packages.map((pkg) => [basename(pkg.tarball), pkg]));
  const requested: string[] = [];
  let url = '';

  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    if (!path.startsWith(`${base}/`)) {
      response.writeHead(404).end();
      return;
    }
    const rest = path.slice(base.length + 1);
    const tarball = rest.startsWith('-/') ? byFile.get(rest.slice(2)) : undefined;
    if (tarball) {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      createReadStream(tarball.tarball).pipe(response);
      return;
    }
    const pkg = byName.get(rest);
    requested.push(rest);
    if (!pkg) {
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: `${rest} is not among the packed packages` }));
      return;
    }
    const version = {
      ...pkg.manifest,
      _id: `${pkg.name}@${pkg.version}`,
      dist: { tarball: `${url}/-/${basename(pkg.tarball)}`, integrity: pkg.integrity },
    };
    response
      .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(
        JSON.stringify({
          name: pkg.name,
          'dist-tags': { latest: pkg.version },
          versions: { [pkg.version]: version },
        }),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('registry has no port');
  url = `http://127.0.0.1:${address.port}${base}`;
  return {
    url,
    requested,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
