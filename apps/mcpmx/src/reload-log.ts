import type { ClientEvents, MultiServerClient } from '@mcpmx/client';

/**
 * The lines a catalog rebuild gives the gateway's log, one per fact: each server added, each
 * removed, each tool or prompt whose name moved (see the client's stable names). A rebuild that
 * changed none of these (a server's list refreshed) gives none.
 */
export function reloadLines(change: ClientEvents['catalog-changed']): string[] {
  return [
    ...change.added.map((server) => `reload: server "${server}" added`),
    ...change.removed.map((server) => `reload: server "${server}" removed`),
    ...change.renamed.map(
      (moved) =>
        `reload: ${moved.kind} "${moved.name}" of server "${moved.server}" renamed: "${moved.from}" is now "${moved.to}"`,
    ),
  ];
}

/**
 * Logs every rebuild of the catalog from now on (call it once the client started, so the
 * servers of the start-up are not logged as added). `log` is the app's redacted writer.
 * Returns the disposer of the listener.
 */
export function logReloads(client: MultiServerClient, log: (line: string) => void): () => void {
  return client.on('catalog-changed', (change) => {
    for (const line of reloadLines(change)) log(line);
  });
}
