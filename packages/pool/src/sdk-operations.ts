import type { RequestOptions } from '@mcpmx/core';
import type { Client } from '@modelcontextprotocol/client';
import { toolCalls } from './tool-calls.js';

/** The SDK's request options for ours. */
export type SdkOptions = {
  signal?: AbortSignal;
  timeout: number;
  onprogress?: RequestOptions['onProgress'];
  resetTimeoutOnProgress?: boolean;
  /** An AttributionMark (see request-attribution.ts), stripped before the transport. */
  relatedRequestId?: string | number;
  /** 2026-07-28: hand back an `input_required` result instead of failing (see input-rounds.ts). */
  allowInputRequired?: boolean;
};

/** One function per request kind, made once per session: a call allocates no closure of its own. */
export function sdkOperations(client: Client, modern: boolean) {
  return {
    ...toolCalls(client, modern),
    listResources: (params: Parameters<Client['listResources']>[0], o: SdkOptions) =>
      client.listResources(params, o),
    listResourceTemplates: (
      params: Parameters<Client['listResourceTemplates']>[0],
      o: SdkOptions,
    ) => client.listResourceTemplates(params, o),
    listPrompts: (params: Parameters<Client['listPrompts']>[0], o: SdkOptions) =>
      client.listPrompts(params, o),
    readResource: (params: Parameters<Client['readResource']>[0], o: SdkOptions) =>
      client.readResource(params, o),
    getPrompt: (params: Parameters<Client['getPrompt']>[0], o: SdkOptions) =>
      client.getPrompt(params, o),
    complete: (params: Record<string, unknown>, o: SdkOptions) =>
      client.complete(params as Parameters<Client['complete']>[0], o),
    ping: async (_: undefined, o: SdkOptions) => void (await client.ping(o)),
  };
}
