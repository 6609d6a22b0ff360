import type { Clock } from '@mcpmx/core';
import {
  CrossAppAccessProvider,
  discoverAndRequestJwtAuthGrant,
  requestJwtAuthorizationGrant,
} from '@modelcontextprotocol/client';
import type { SharedUpstreamAuth } from './endpoint-auth.js';
import { createProviderGrant } from './provider-grant.js';

export interface CrossAppAccessOptions {
  /** The logical server's name, for messages. */
  server: string;
  /** The client registered with the MCP server's authorization server. */
  clientId: string;
  clientSecret: string;
  /** Scopes to ask for. */
  scopes?: string[];
  /** The enterprise IdP that vouches for the user. */
  idp: {
    /** Its issuer; its token endpoint is discovered from its metadata unless given. */
    issuer: string;
    tokenEndpoint?: string;
    /** The client registered with the IdP for the token exchange. */
    clientId: string;
    clientSecret?: string;
    /** The user's ID token from the IdP, or how to get a current one. */
    idToken: string | (() => string | Promise<string>);
  };
  refreshSkewMs?: number;
  clock?: Clock;
}

/**
 * Enterprise-managed authorization (cross-app access, SEP-990): the user's ID token from the
 * IdP is exchanged there (RFC 8693) for an ID-JAG, which the MCP server's authorization server
 * takes as a JWT bearer grant (RFC 7523). Both legs are the SDK's (`CrossAppAccessProvider`,
 * `requestJwtAuthorizationGrant`); this shares the token like every mcpmx grant.
 */
export function createCrossAppAccessAuth(options: CrossAppAccessOptions): SharedUpstreamAuth {
  const { idp } = options;
  const scope = options.scopes?.length ? options.scopes.join(' ') : undefined;
  const provider = new CrossAppAccessProvider({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    assertion: async (context) => {
      const idToken = typeof idp.idToken === 'function' ? await idp.idToken() : idp.idToken;
      const request = {
        audience: context.authorizationServerUrl,
        resource: context.resourceUrl,
        idToken,
        clientId: idp.clientId,
        ...(idp.clientSecret ? { clientSecret: idp.clientSecret } : {}),
        ...(context.scope ? { scope: context.scope } : {}),
        fetchFn: context.fetchFn,
      };
      const grant = idp.tokenEndpoint
        ? await requestJwtAuthorizationGrant({ ...request, tokenEndpoint: idp.tokenEndpoint })
        : await discoverAndRequestJwtAuthGrant({ ...request, idpUrl: idp.issuer });
      return grant.jwtAuthGrant;
    },
  });
  return createProviderGrant({
    server: options.server,
    provider,
    grant: 'cross-app access',
    hint: "the server's auth clientId, clientSecret and idp settings, and that the ID token is current",
    scope,
    refreshSkewMs: options.refreshSkewMs,
    clock: options.clock,
  });
}
