// A careless MCP server over stdio: it prints its environment and arguments to stderr (as
// servers that dump their settings at start do), serves one tool, `leak`, which prints them
// again and exits mid-call, and with LEAKY_EXIT=1 exits right after the first print. Whatever
// secret its config gave it is then in the stderr a client quotes in its errors.
import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';

// The arguments both first and last: a client quotes only the tail of stderr.
const argv = `leaky-server: argv ${JSON.stringify(process.argv.slice(2))}\n`;
const dump = () =>
  process.stderr.write(
    argv +
      Object.entries(process.env)
        .map(([name, value]) => `leaky-server: env ${name}=${value}\n`)
        .join('') +
      argv,
  );

dump();
if (process.env.LEAKY_EXIT === '1') process.exit(3);

serveStdio(() => {
  const server = new McpServer({ name: 'leaky', version: '1.0.0' });
  server.registerTool('leak', { description: 'Prints env and args to stderr, then exits.' }, () => {
    dump();
    process.exit(4);
  });
  return server;
});
