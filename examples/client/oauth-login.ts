import { createMultiServerClient } from '@mcpmx/client';
import { createFileTokenStore } from '@mcpmx/oauth';

// mcp.json: { "mcpServers": { "linear": { "url": "https://mcp.linear.app/mcp", "auth": "oauth" } } }
const client = createMultiServerClient({
  config: './mcp.json',
  oauth: {
    // The default: a 0600 file under $XDG_CONFIG_HOME/mcpmx/, shared with `mcpmx login`.
    store: createFileTokenStore(),
    // Called when a server needs a login and no stored token can be used.
    onAuthorizationUrl: (url, { server }) => {
      console.error(`log in to ${server}: ${url.href}`);
    },
  },
});
const { failed } = await client.start(); // waits for the login, if one runs
for (const { server, error } of failed) console.error(`${server}: ${error.message}`);
await client.close();
