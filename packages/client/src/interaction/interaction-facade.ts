import {
  InvalidOptionError,
  type SessionPool,
  UnknownResourceError,
  UnknownServerError,
} from '@mcpmx/core';
import type { Catalog } from '../catalog/catalog.js';
import type { MultiServerClient } from '../client-api.js';
import type { createLifecycle } from '../client-lifecycle.js';
import type { InteractionHub } from './interaction-hub.js';
import { createReadvertise } from './readvertise.js';

export interface InteractionFacadeParts {
  hub: InteractionHub;
  lifecycle: ReturnType<typeof createLifecycle>;
  catalog: () => Catalog;
  servers: () => string[];
  hasServer: (server: string) => boolean;
  poolsOf: (server: string) => readonly SessionPool[];
  /** Refetches one server's lists; a failure is reported, not thrown. */
  refresh: (server: string) => Promise<void>;
}

/**
 * The client's setRoots, setLogLevel, subscribeResource and readvertise: checks, then the hub's
 * work.
 */
export function interactionFacade(
  parts: InteractionFacadeParts,
): Pick<MultiServerClient, 'setRoots' | 'setLogLevel' | 'subscribeResource' | 'readvertise'> {
  const { hub, lifecycle } = parts;
  const readvertise = createReadvertise({
    hub,
    servers: parts.servers,
    poolsOf: parts.poolsOf,
    refresh: parts.refresh,
  });
  const check = (what: string, server: string | undefined) => {
    lifecycle.check(what);
    if (server !== undefined && !parts.hasServer(server)) {
      throw new UnknownServerError(`No server named "${server}" is registered.`, { server });
    }
  };
  return {
    setRoots: async (roots, server) => {
      check('setRoots()', server);
      await hub.setRoots(roots, server, parts.servers);
    },
    setLogLevel: async (level, server) => {
      check('setLogLevel()', server);
      await hub.setLogLevel(level, server, parts.servers);
    },
    subscribeResource: async (uri, listener) => {
      const refusal = lifecycle.refusal('resources/subscribe', uri);
      if (refusal) throw refusal;
      if (typeof listener !== 'function') {
        throw new InvalidOptionError('listener', 'a function', listener);
      }
      const server = parts.catalog().resolveResource(uri);
      if (!server) throw new UnknownResourceError(uri);
      return hub.subscribe(server, uri, listener);
    },
    readvertise: async () => {
      lifecycle.check('readvertise()');
      return await readvertise();
    },
  };
}
