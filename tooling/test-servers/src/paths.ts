import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { faultServerScript } from '@mcpmx/fault-server';

const require = createRequire(import.meta.url);

/** Entry scripts of the reference servers from npm, to run with `process.execPath`. */
export const referenceServers = {
  everything: require.resolve('@modelcontextprotocol/server-everything/dist/index.js'),
  memory: require.resolve('@modelcontextprotocol/server-memory/dist/index.js'),
  filesystem: require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js'),
} as const;

const own = (name: string) => fileURLToPath(new URL(`./servers/${name}.js`, import.meta.url));

/** Entry scripts of the test servers (this package's own are built to dist/servers). */
export const testServers = {
  /**
   * Fault-injecting server over stdio (from @mcpmx/fault-server): echo, slow, fail, crash,
   * count, stats, set-latency, add-tool, hang, malformed, flood.
   */
  fault: faultServerScript,
  /** The same tools over Streamable HTTP at /mcp; HTTP_PORT; prints "LISTENING <port>". */
  http: own('http-server'),
  /**
   * Hostile answers over HTTP: huge (streamed) results, raw replies, endless and stalled SSE
   * events at /mcp, and a hand-written legacy HTTP+SSE server at /sse; prints "LISTENING <port>".
   */
  hostileHttp: own('hostile-http-server'),
  /** The same tools over WebSocket; prints "LISTENING <port>". */
  websocket: own('ws-server'),
  /** Writes lines that are not JSON-RPC to stdout. */
  garbage: own('garbage-server'),
  /** Reads stdin and never answers, initialize included. */
  silent: own('silent-server'),
  /**
   * Prints its env and args to stderr; its tool `leak` prints them again and exits mid-call;
   * LEAKY_EXIT=1 exits right after the first print.
   */
  leaky: own('leaky-server'),
  /** MANY_TOOLS tools (default 10000) named `tool_<i>`, plus `echo`: a large catalog. */
  manyTools: own('many-tools-server'),
  /**
   * The push-requests server (createPushRequestsServer) over stdio: elicitation, sampling and
   * roots asked unrelated to the call, and roots asked outside any call.
   */
  pushRequests: own('push-requests-server'),
} as const;
