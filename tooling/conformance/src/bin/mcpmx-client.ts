// The client under test for the conformance suite's client scenarios, written with
// @mcpmx/client's public API only. The suite runs `node mcpmx-client.js <server url>` with
// MCP_CONFORMANCE_SCENARIO set; the program connects to that one server, does what the scenario
// asks of a client, and exits 0 (or 1 with the error on stderr).
import {
  createMultiServerClient,
  type InteractionHandlers,
  type MultiServerClientOptions,
} from '@mcpmx/client';
import { createHeadlessHandler, createMemoryTokenStore } from '@mcpmx/oauth';

const url = process.argv.at(-1);
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
if (!url?.startsWith('http')) {
  process.stderr.write(
    'usage: mcpmx-client <server url> (MCP_CONFORMANCE_SCENARIO names the scenario)\n',
  );
  process.exit(2);
}

/** What the client answers when the scenario's server asks something of it. */
const handlers: InteractionHandlers = {
  // Accept with nothing filled in: the client applies the schema's defaults (SEP-1034).
  onElicitation: async () => ({ action: 'accept', content: {} }),
  onSampling: async () => ({
    role: 'assistant',
    content: { type: 'text', text: 'This is a response from the mcpmx conformance client' },
    model: 'mcpmx-conformance',
    stopReason: 'endTurn',
  }),
  roots: [{ uri: 'file:///tmp', name: 'tmp' }],
};

/**
 * The server's `auth` config key, from what the suite passes in MCP_CONFORMANCE_CONTEXT: a
 * client id and secret or private key for the client_credentials and pre-registration
 * scenarios, the IdP's settings and ID token for cross-app access; none otherwise (the 401 names the metadata, and mcpmx's OAuth starts on its own).
 */
function authFromContext(): Record<string, unknown> | undefined {
  const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}') as Record<
    string,
    string | undefined
  >;
  if (scenario.startsWith('auth/client-credentials') && context.client_id) {
    return context.private_key_pem
      ? {
          type: 'client_credentials',
          clientId: context.client_id,
          privateKey: context.private_key_pem,
          algorithm: context.signing_algorithm,
        }
      : {
          type: 'client_credentials',
          clientId: context.client_id,
          clientSecret: context.client_secret,
        };
  }
  if (scenario.startsWith('auth/cross-app-access') && context.idp_id_token) {
    return {
      type: 'cross_app_access',
      clientId: context.client_id,
      clientSecret: context.client_secret,
      idp: {
        issuer: context.idp_issuer,
        tokenEndpoint: context.idp_token_endpoint,
        clientId: context.idp_client_id,
        idToken: context.idp_id_token,
      },
    };
  }
  if (context.client_id && context.client_secret) {
    return { clientId: context.client_id, clientSecret: context.client_secret };
  }
  return undefined;
}

const auth = authFromContext();
const options: MultiServerClientOptions = {
  config: { mcpServers: { conformance: { type: 'http', url, ...(auth ? { auth } : {}) } } },
  // mcpmx's own OAuth, headless: the suite's authorization server redirects at once.
  oauth: { store: createMemoryTokenStore(), onAuthorizationUrl: createHeadlessHandler() },
  ...handlers,
};

/** What each scenario asks the client to do once it is connected. */
const scenarioCalls: Record<string, Array<{ tool: string; args: Record<string, unknown> }>> = {
  initialize: [],
  tools_call: [{ tool: 'add_numbers', args: { a: 5, b: 3 } }],
  'elicitation-sep1034-client-defaults': [{ tool: 'test_client_elicitation_defaults', args: {} }],
  'sse-retry': [{ tool: 'test_reconnection', args: {} }],
};

const client = createMultiServerClient(options);
let failed = false;
try {
  const { failed: down } = await client.start();
  if (down.length > 0) throw down[0]?.error;
  const tools = client.listTools();
  // Scenarios not named above (the auth ones) expose a tool to call once connected.
  const calls = scenarioCalls[scenario] ?? tools.map((tool) => ({ tool: tool.name, args: {} }));
  for (const { tool, args } of calls) {
    const result = await client.callTool(tool, args, { timeoutMs: 20_000 });
    process.stdout.write(`${tool}: ${JSON.stringify(result.content)}\n`);
  }
} catch (error) {
  failed = true;
  process.stderr.write(
    `mcpmx-client (${scenario}): ${(error as Error)?.message ?? String(error)}\n`,
  );
} finally {
  await client.close();
}
process.exit(failed ? 1 : 0);
