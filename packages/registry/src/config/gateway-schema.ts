import type { ConfigIssue } from '@mcpmx/core';
import { z } from 'zod';

/**
 * The `gateway` section of a config: how the gateway (`mcpmx serve`) knows its callers and
 * what each may use. It is read by the gateway only; a library client ignores it. Values are
 * taken as written (no `${NAME}`): none of them is a secret.
 *
 * ```json
 * "gateway": {
 *   "auth": { "issuer": "https://login.example.com", "resource": "https://mcp.example.com/mcp",
 *             "claims": ["groups"] },
 *   "policy": [
 *     { "allow": { "*": ["get_*", "list_*"] } },
 *     { "when": { "scope": "deploy" }, "allow": { "ops": ["deploy*"] } },
 *     { "when": { "groups": "contractors" }, "deny": { "ops": ["*"] } }
 *   ],
 *   "tools": "lazy", "pin": ["ops__deploy"]
 * }
 * ```
 */

/** Claims every validated token has a meaning for; policies may test them without declaring. */
export const STANDARD_CLAIMS: readonly string[] = ['scope', 'sub', 'client_id'];

/** In a rule's `allow` or `deny`: this key stands for every server. */
export const ANY_SERVER = '*';

const objectError = (expected: string) => ({
  error: (issue: z.core.$ZodRawIssue) => (issue.code === 'invalid_type' ? expected : undefined),
});

const nonEmptyString = z
  .string({ error: 'a non-empty string' })
  .refine((value) => value.trim() !== '', { error: 'a non-empty string' });

const names = z.array(nonEmptyString, { error: 'an array of strings' });

/** An absolute http(s) URL without a fragment. */
const httpUrl = (what: string) =>
  z.string({ error: `${what}: an http(s) URL` }).refine(
    (value) => {
      if (!URL.canParse(value)) return false;
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.hash === '';
    },
    { error: `${what}: an absolute http(s) URL without a #fragment` },
  );

/** The gateway as an OAuth 2.1 protected resource (RFC 9728), accepting JWT access tokens. */
export const gatewayAuthSchema = z.strictObject(
  {
    /** The authorization server (its `iss`); its metadata names the JWKS. */
    issuer: httpUrl('the authorization server'),
    /** The gateway's own MCP URL as clients reach it: the RFC 8707 resource, the tokens' `aud`. */
    resource: httpUrl("the gateway's public MCP URL"),
    /** Where the issuer's signing keys are, when its metadata should not be asked. */
    jwksUri: httpUrl('the JWKS URL').optional(),
    /** Claims besides scope, sub and client_id that policies may test (`groups`, `tenant`). */
    claims: names.optional(),
    /** Advertised as `scopes_supported` in the metadata document. */
    scopes: names.optional(),
    /** Advertised as `resource_name`. */
    resourceName: nonEmptyString.optional(),
    /** Leeway for `exp` and `nbf`, in seconds. Default 0. */
    clockToleranceSeconds: z
      .number({ error: 'a number of seconds >= 0' })
      .min(0, { error: 'a number of seconds >= 0' })
      .max(300, { error: 'at most 300 seconds' })
      .optional(),
  },
  objectError('an object with "issuer" and "resource"'),
);

/** One claim's condition: this value, or any of these. */
const claimCondition = z.union(
  [
    nonEmptyString,
    z.array(nonEmptyString).min(1, { error: 'a string or a non-empty array of strings' }),
  ],
  {
    error: 'a string or a non-empty array of strings',
  },
);

/** Tool globs (`*`, `?`) on each server's own tool names, by server name (`*`: every server). */
const toolsByServer = z.record(
  z.string(),
  names,
  objectError('an object of tool globs by server name, e.g. { "ops": ["deploy*"] }'),
);

export const policyRuleSchema = z.strictObject(
  {
    /** Whom the rule is for: every claim named must match. Absent or empty: every caller. */
    when: z
      .record(z.string(), claimCondition, objectError('an object of claim conditions'))
      .optional(),
    allow: toolsByServer.optional(),
    deny: toolsByServer.optional(),
  },
  objectError('an object with "when" and "allow" and/or "deny"'),
);

export const gatewaySchema = z.strictObject(
  {
    auth: gatewayAuthSchema.optional(),
    /**
     * Who may use which tools. Absent: every caller may use every tool. Present: default deny;
     * a tool is usable when a rule that applies allows it and none that applies denies it.
     */
    policy: z.array(policyRuleSchema, { error: 'an array of policy rules' }).optional(),
    /** How `tools/list` answers: every tool, or the lazy meta-tools (the CLI's --tools wins). */
    tools: z.enum(['eager', 'lazy'], { error: '"eager" or "lazy"' }).optional(),
    /** In lazy mode, tools listed as they are too (federated names; the CLI's --pin wins). */
    pin: names.optional(),
  },
  objectError('an object with "auth", "policy", "tools" and/or "pin"'),
);

export type GatewayConfig = z.output<typeof gatewaySchema>;
export type GatewayAuthConfig = z.output<typeof gatewayAuthSchema>;
export type PolicyRule = z.output<typeof policyRuleSchema>;

/**
 * What the schema cannot see alone: a rule naming a server the config does not have, or a
 * claim `gateway.auth.claims` does not declare. `servers` are the config's server names.
 */
export function gatewayReferenceIssues(
  gateway: GatewayConfig,
  servers: readonly string[],
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const declared = gateway.auth ? [...STANDARD_CLAIMS, ...(gateway.auth.claims ?? [])] : [];
  const known = new Set(servers);
  (gateway.policy ?? []).forEach((rule, index) => {
    const path = `gateway.policy[${index}]`;
    for (const claim of Object.keys(rule.when ?? {})) {
      if (declared.includes(claim)) continue;
      issues.push({
        path: `${path}.when.${claim}`,
        expected: gateway.auth
          ? `a declared claim (${declared.join(', ')}; declare others in gateway.auth.claims)`
          : 'no claim conditions without gateway.auth (only token holders with claims have any)',
        found: claim,
      });
    }
    for (const part of ['allow', 'deny'] as const) {
      for (const server of Object.keys(rule[part] ?? {})) {
        if (server === ANY_SERVER || known.has(server)) continue;
        issues.push({
          path: `${path}.${part}.${server}`,
          expected: `a configured server (${servers.join(', ') || 'none configured'}) or "${ANY_SERVER}"`,
          found: server,
        });
      }
    }
  });
  return issues;
}
