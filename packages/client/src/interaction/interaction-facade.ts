import { InvalidOptionError, UnknownResourceError, UnknownServerError } from '@mcpmx/core';
import type { Catalog } from '../catalog/catalog.js';
import type { MultiServerClient } from '../client-api.js';
import type { createLifecycle } from '../client-lifecycle.js';
import type { InteractionHub } from './interaction-hub.js';

export interface InteractionFacadeParts {
  hub: InteractionHub;
  lifecycle: ReturnType<typeof createLifecycle>;
  catalog: () => Catalog;
  servers: () => string[];
  hasServer: (server: string) => boolean;
}

/** The client's setRoots, setLogLevel and subscribeResource: checks, then the hub's work. */
export function interactionFacade(
  parts: InteractionFacadeParts,
): Pick<MultiServerClient, 'setRoots' | 'setLogLevel' | 'subscribeResource'> {
  const { hub, lifecycle } = parts;
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
  };
}
