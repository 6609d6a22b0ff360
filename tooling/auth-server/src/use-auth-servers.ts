import { type AuthServer, type AuthServerOptions, startAuthServer } from './auth-server.js';
import {
  type ProtectedMcpServer,
  type ProtectedMcpServerOptions,
  startProtectedMcpServer,
} from './protected-mcp-server.js';

/** The servers useAuthServers starts, read once its beforeAll has run. */
export interface AuthServers {
  readonly authServer: AuthServer;
  readonly mcp: ProtectedMcpServer;
}

/** The test runner's hooks (vitest's), given by the test file so both use one runner. */
export interface TestHooks {
  beforeAll(run: () => Promise<void>): void;
  beforeEach(run: () => void): void;
  afterAll(run: () => Promise<void>): void;
}

/**
 * In a test file (or describe block): starts the authorization server and a protected MCP
 * server trusting it before the tests, zeroes both servers' counters before each test, and
 * closes both after them: `useAuthServers({ beforeAll, beforeEach, afterAll })`.
 */
export function useAuthServers(
  hooks: TestHooks,
  options: { authServer?: AuthServerOptions; mcp?: Omit<ProtectedMcpServerOptions, 'issuer'> } = {},
): AuthServers {
  const { beforeAll, beforeEach, afterAll } = hooks;
  let authServer: AuthServer | undefined;
  let mcp: ProtectedMcpServer | undefined;
  beforeAll(async () => {
    authServer = await startAuthServer(options.authServer);
    mcp = await startProtectedMcpServer({ ...options.mcp, issuer: authServer.issuer });
  });
  beforeEach(() => {
    authServer?.resetCounts();
    mcp?.resetCounts();
  });
  afterAll(async () => {
    await mcp?.close();
    await authServer?.close();
  });
  const started = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`useAuthServers: ${name} is read before beforeAll`);
    return value;
  };
  return {
    get authServer() {
      return started(authServer, 'authServer');
    },
    get mcp() {
      return started(mcp, 'mcp');
    },
  };
}
