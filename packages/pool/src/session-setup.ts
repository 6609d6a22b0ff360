import { ConnectError, type EndpointDescriptor } from '@mcpmx/core';
import type { Client, Transport } from '@modelcontextprotocol/client';

/** Calls the user's transport factory; a throw becomes a ConnectError that names it. */
export function customTransport(
  endpoint: EndpointDescriptor,
  factory: (endpoint: EndpointDescriptor) => Transport,
  where: string,
): Transport {
  try {
    return factory(endpoint);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConnectError(`could not connect to ${where}: createTransport threw: ${message}`, {
      server: endpoint.server,
      replica: endpoint.id,
      cause: error,
    });
  }
}

/**
 * On a 2026-07-28 session, list_changed notifications arrive only on a `subscriptions/listen`
 * stream, so open one for every list the server says can change. (On a 2025-11-25 session
 * they arrive unsolicited.) A server that refuses leaves the session usable, without them.
 */
export async function listenForListChanges(
  client: Client,
  options: { connectTimeoutMs: number; signal?: AbortSignal },
): Promise<void> {
  if (client.getProtocolEra() !== 'modern') return;
  const advertised = client.getServerCapabilities();
  const filter = {
    ...(advertised?.tools?.listChanged ? { toolsListChanged: true } : {}),
    ...(advertised?.prompts?.listChanged ? { promptsListChanged: true } : {}),
    ...(advertised?.resources?.listChanged ? { resourcesListChanged: true } : {}),
  };
  if (Object.keys(filter).length === 0) return;
  try {
    await client.listen(filter, { timeout: options.connectTimeoutMs, signal: options.signal });
  } catch {
    // Without the stream the session still works; the catalog is then refreshed on reconnect.
  }
}
