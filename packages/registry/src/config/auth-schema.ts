import { z } from 'zod';

/**
 * A server's `auth` key: how mcpmx logs in to it (see @mcpmx/oauth). Without the key, an HTTP
 * server whose 401 names its protected-resource metadata gets an OAuth login on its own.
 * - `"oauth"`: the authorization code flow, with a client ID metadata document or dynamic
 *   registration;
 * - `{ "clientId", "clientSecret", "scopes", "clientMetadataUrl", "redirectPort" }`: the same,
 *   with a pre-registered client, scopes or a fixed redirect port (`"type": "oauth"` optional);
 * - `{ "type": "client_credentials", "clientId", "clientSecret" | "privateKey", "scopes",
 *   "issuer", "algorithm" }`: machine to machine, with client_secret_basic or private_key_jwt;
 * - `{ "type": "cross_app_access", "clientId", "clientSecret", "scopes", "idp": { "issuer",
 *   "tokenEndpoint", "clientId", "clientSecret", "idToken" } }`: enterprise-managed
 *   authorization, the user's IdP ID token exchanged for the server's token.
 */

const text = (expected: string) => z.string({ error: expected }).min(1, { error: expected });
const scopes = z
  .array(z.string({ error: 'a scope string' }), { error: 'an array of scope strings' })
  .optional();
const objectError = (expected: string) => ({
  error: (issue: z.core.$ZodRawIssue) => (issue.code === 'invalid_type' ? expected : undefined),
});

const oauthAuth = z.strictObject(
  {
    type: z.literal('oauth'),
    clientId: text('a client id').optional(),
    clientSecret: text('a client secret').optional(),
    scopes,
    clientMetadataUrl: z
      .url({ protocol: /^https$/, error: 'an https URL of a client ID metadata document' })
      .optional(),
    redirectPort: z
      .number({ error: 'a port from 0 to 65535' })
      .int({ error: 'a port from 0 to 65535' })
      .min(0, { error: 'a port from 0 to 65535' })
      .max(65_535, { error: 'a port from 0 to 65535' })
      .optional(),
  },
  objectError('"oauth" or an object of OAuth settings'),
);

const clientCredentialsAuth = z
  .strictObject(
    {
      type: z.literal('client_credentials'),
      clientId: text('a client id'),
      clientSecret: text('a client secret').optional(),
      privateKey: text('a PEM (PKCS#8) private key').optional(),
      algorithm: text('a JWS algorithm such as "RS256"').optional(),
      scopes,
      issuer: z.url({ error: 'the authorization server URL' }).optional(),
    },
    objectError('an object of client_credentials settings'),
  )
  .superRefine((value, context) => {
    if ((value.clientSecret === undefined) === (value.privateKey === undefined)) {
      context.addIssue({
        code: 'custom',
        message: 'exactly one of "clientSecret" and "privateKey"',
        path: ['clientSecret'],
        params: { found: value.clientSecret === undefined ? 'neither' : 'both' },
      });
    }
  });

const crossAppAccessAuth = z.strictObject(
  {
    type: z.literal('cross_app_access'),
    clientId: text('a client id'),
    clientSecret: text('a client secret'),
    scopes,
    idp: z.strictObject(
      {
        issuer: z.url({ error: "the IdP's issuer URL" }),
        tokenEndpoint: z.url({ error: "the IdP's token endpoint URL" }).optional(),
        clientId: text('the client id registered with the IdP'),
        clientSecret: text('a client secret').optional(),
        idToken: text("the user's ID token from the IdP (usually an environment variable)"),
      },
      objectError('an object with the IdP\'s "issuer", "clientId" and "idToken"'),
    ),
  },
  objectError('an object of cross-app access settings'),
);

/** `auth` of one server: "oauth", and an object without `type`, are `{ type: "oauth", ... }`. */
export const authSchema = z.preprocess(
  (value) => {
    if (value === 'oauth') return { type: 'oauth' };
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      if (!Object.hasOwn(value, 'type')) return { type: 'oauth', ...value };
    }
    return value;
  },
  z.discriminatedUnion('type', [oauthAuth, clientCredentialsAuth, crossAppAccessAuth], {
    error:
      '"oauth", an object of OAuth settings (clientId, scopes, ...), or { "type": "client_credentials", ... }',
  }),
);

export type AuthConfig = z.output<typeof authSchema>;
