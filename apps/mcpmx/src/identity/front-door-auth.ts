import type { GatewayAuthConfig } from '@mcpmx/registry';
import {
  type AuthInfo,
  getOAuthProtectedResourceMetadataUrl,
  oauthMetadataResponse,
  requireBearerAuth,
} from '@modelcontextprotocol/server';
import { readIssuerMetadata } from './issuer-metadata.js';
import { createJwtVerifier } from './jwt-verifier.js';

/** The gateway as an OAuth 2.1 protected resource (see createFrontDoorAuth). */
export interface FrontDoorAuth {
  /** The discovery documents, for a request to their well-known paths; else undefined. */
  metadata(request: Request): Response | undefined;
  /** The request's verified token, or the 401 (with its challenge) to answer instead. */
  authenticate(request: Request): Promise<AuthInfo | Response>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Reads the issuer's metadata (so a wrong issuer fails at start), then serves RFC 9728
 * protected-resource metadata at `/.well-known/oauth-protected-resource[/<path>]` naming the
 * issuer (and its RFC 8414 metadata at the origin, for older clients), and answers a request
 * without a valid token `401` with `WWW-Authenticate: Bearer resource_metadata="..."`, as the
 * MCP authorization spec says. Tokens are JWTs checked by createJwtVerifier.
 */
export async function createFrontDoorAuth(
  auth: GatewayAuthConfig,
  options: { fetch?: typeof fetch } = {},
): Promise<FrontDoorAuth> {
  const oauthMetadata = await readIssuerMetadata(auth.issuer, options);
  const jwksUri = auth.jwksUri ?? oauthMetadata.jwks_uri;
  if (!jwksUri) {
    throw new Error(
      `gateway.auth.issuer ${auth.issuer}: its metadata names no jwks_uri; set gateway.auth.jwksUri`,
    );
  }
  const resource = new URL(auth.resource);
  const metadataOptions = {
    oauthMetadata,
    resourceServerUrl: resource,
    ...(auth.scopes ? { scopesSupported: [...auth.scopes] } : {}),
    ...(auth.resourceName ? { resourceName: auth.resourceName } : {}),
    // An http issuer is accepted on loopback only (the SDK checks the rest).
    dangerouslyAllowInsecureIssuerUrl: LOOPBACK.has(new URL(auth.issuer).hostname),
  };
  const gate = requireBearerAuth({
    verifier: createJwtVerifier(auth, new URL(jwksUri)),
    resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(resource),
    expectedResource: resource,
  });
  return {
    metadata: (request) => oauthMetadataResponse(request, metadataOptions),
    authenticate: gate,
  };
}
