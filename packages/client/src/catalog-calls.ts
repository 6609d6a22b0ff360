import {
  type Clock,
  closestNames,
  UnknownPromptError,
  UnknownResourceError,
  UnknownToolError,
} from '@mcpmx/core';
import type { Registry, ServerSettings } from '@mcpmx/registry';
import type { CatalogState } from './catalog/catalog-state.js';
import { completionTarget } from './catalog/completion-target.js';
import type { MultiServerClient } from './client-api.js';
import type { createCalls } from './client-calls.js';
import type { createLifecycle } from './client-lifecycle.js';
import { fanOutOn } from './fan-out-call.js';
import { READ_ONLY, sendComplete, sendGetPrompt, sendReadResource } from './requests.js';

export interface CatalogCallParts {
  catalog: CatalogState;
  lifecycle: ReturnType<typeof createLifecycle>;
  route: ReturnType<typeof createCalls>['route'];
  callOn: ReturnType<typeof createCalls>['callOn'];
  registry: Registry;
  settingsOf(server: string): ServerSettings;
  clock: Clock;
}

/**
 * The client's calls by name: each resolves its tool, resource, prompt or completion target
 * in the catalog, then goes to its server's route (see createCalls). A name the catalog does
 * not know rejects with the error that says why (before start() or after close(), that).
 */
export function catalogCalls(
  parts: CatalogCallParts,
): Pick<MultiServerClient, 'callTool' | 'fanOut' | 'readResource' | 'getPrompt' | 'complete'> {
  const { catalog, lifecycle, route, callOn, registry, settingsOf, clock } = parts;
  const unknown = (what: string, target: string | undefined, error: () => Error) =>
    Promise.reject(lifecycle.refusal(what, target) ?? error());
  return {
    callTool: (name, args, callOptions) => {
      const entry = catalog.catalog.resolveTool(name);
      if (!entry) {
        const names = () => catalog.catalog.toolNames();
        return unknown(
          'tools/call',
          name,
          () => new UnknownToolError(name, closestNames(name, names(), { substrings: true })),
        );
      }
      const { annotations } = entry.item;
      return callOn(entry.server, entry.name, entry.federatedName, annotations, args, callOptions);
    },
    fanOut: (name, args, fanOutOptions = {}) => {
      const refusal = lifecycle.refusal('fanOut', name);
      if (refusal) return Promise.reject(refusal);
      const parts = { catalog: catalog.catalog, registry, settingsOf, callOn, clock };
      return fanOutOn(parts, name, args, fanOutOptions);
    },
    readResource: (uri, callOptions) => {
      const server = catalog.catalog.resolveResource(uri);
      if (!server) return unknown('resources/read', uri, () => new UnknownResourceError(uri));
      const params = { uri };
      return route(server, 'resources/read', uri, READ_ONLY, callOptions, sendReadResource, params);
    },
    getPrompt: (name, args, callOptions) => {
      const entry = catalog.catalog.resolvePrompt(name);
      if (!entry) {
        const names = () => catalog.catalog.promptNames();
        return unknown(
          'prompts/get',
          name,
          () => new UnknownPromptError(name, closestNames(name, names(), { substrings: true })),
        );
      }
      const params = { name: entry.name, arguments: args };
      return route(
        entry.server,
        'prompts/get',
        name,
        READ_ONLY,
        callOptions,
        sendGetPrompt,
        params,
      );
    },
    complete: (params, callOptions) => {
      const target = completionTarget(catalog.catalog, params);
      if ('error' in target) return unknown('completion/complete', undefined, target.error);
      const { server, forwarded } = target;
      const method = 'completion/complete';
      return route(server, method, undefined, READ_ONLY, callOptions, sendComplete, forwarded);
    },
  };
}
