import { globMatches } from '@mcpmx/client';
import { ANY_SERVER, type PolicyRule } from '@mcpmx/registry';
import type { Caller } from './caller.js';

/** Which tools one caller may see and call, by server and the tool's own name. */
export interface ToolAccess {
  allows(server: string, tool: string): boolean;
}

const EVERYTHING: ToolAccess = { allows: () => true };

/**
 * The config's `gateway.policy`, for one caller. Without a policy every caller may use every
 * tool. With one, default deny: a tool is allowed when a rule that applies to the caller allows
 * it and no rule that applies denies it. A rule applies when each claim in its `when` matches
 * (the caller has that value, or one of those values: a scope among its scopes, `sub` its
 * principal, `client_id` its client, a declared claim among its values); a rule without `when`
 * applies to everyone, and a caller without a token (no `gateway.auth`) matches no `when`.
 * `allow` and `deny` name tool globs per server, `"*"` for every server.
 */
export function createToolPolicy(rules: readonly PolicyRule[] | undefined) {
  return (caller: Caller | undefined): ToolAccess => {
    if (!rules) return EVERYTHING;
    const applying = rules.filter((rule) => applies(rule, caller));
    return {
      allows: (server, tool) =>
        applying.some((rule) => names(rule.allow, server, tool)) &&
        !applying.some((rule) => names(rule.deny, server, tool)),
    };
  };
}

export type ToolPolicy = ReturnType<typeof createToolPolicy>;

function applies(rule: PolicyRule, caller: Caller | undefined): boolean {
  const conditions = Object.entries(rule.when ?? {});
  if (conditions.length === 0) return true;
  if (!caller) return false;
  return conditions.every(([claim, wanted]) => {
    const values = valuesOf(caller, claim);
    const any = typeof wanted === 'string' ? [wanted] : wanted;
    return any.some((value) => values.includes(value));
  });
}

function valuesOf(caller: Caller, claim: string): readonly string[] {
  if (claim === 'scope') return caller.scopes;
  if (claim === 'sub') return [caller.principal];
  if (claim === 'client_id') return [caller.clientId];
  return caller.claims[claim] ?? [];
}

function names(
  byServer: Readonly<Record<string, readonly string[]>> | undefined,
  server: string,
  tool: string,
): boolean {
  if (!byServer) return false;
  const globs = [...(byServer[server] ?? []), ...(byServer[ANY_SERVER] ?? [])];
  return globs.some((glob) => globMatches(glob, tool));
}
