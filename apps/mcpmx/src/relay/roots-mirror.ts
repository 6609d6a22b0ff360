import type { MultiServerClient } from '@mcpmx/client';
import type { Server } from '@modelcontextprotocol/server';

/**
 * `mcpmx serve` over stdio has one downstream client, so its roots are the gateway's: once it
 * has initialized, and whenever it says they changed (`notifications/roots/list_changed`), they
 * are read from it and set on the client (`setRoots`), which tells the upstream servers. So a
 * server that asks for roots outside any call (server-filesystem does, at start-up and on
 * every change) gets the downstream client's. Takes effect with `--advertise roots`; `report`
 * hears what failed.
 */
export function mirrorDownstreamRoots(
  server: Server,
  client: MultiServerClient,
  report: (error: unknown) => void,
): void {
  const refresh = async () => {
    if (!server.getClientCapabilities()?.roots) return;
    const { roots } = await server.listRoots();
    await client.setRoots(roots);
  };
  const run = () => void refresh().catch(report);
  const initialized = server.oninitialized;
  server.oninitialized = () => {
    initialized?.();
    run();
  };
  server.setNotificationHandler('notifications/roots/list_changed', run);
}
