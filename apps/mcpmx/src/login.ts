import { spawn } from 'node:child_process';
import {
  type AuthorizationHandler,
  createFileTokenStore,
  createOAuthSession,
  defaultTokenStorePath,
} from '@mcpmx/oauth';
import type { AuthConfig } from '@mcpmx/registry';
import { type ConfigEnv, readConfigServers } from './config/load-client.js';

export interface LoginOptions extends ConfigEnv {
  config: string;
  server: string;
  /** Print the URL only; do not try to open a browser. */
  browser: boolean;
  /** Where lines for the user go. Default: stderr. */
  log?: (line: string) => void;
}

type OAuthConfig = Extract<AuthConfig, { type: 'oauth' }>;

/** The server's OAuth settings and the URL logged in to: its first HTTP endpoint's. */
async function target(options: LoginOptions): Promise<{ url: string; auth: OAuthConfig }> {
  const config = await readConfigServers(options.config, options);
  const names = Object.keys(config.servers);
  if (!names.includes(options.server)) {
    throw new Error(
      `no server "${options.server}" in ${options.config} (it has ${names.length === 0 ? 'none' : names.join(', ')})`,
    );
  }
  const auth: AuthConfig = config.servers[options.server]?.auth ?? { type: 'oauth' };
  if (auth.type !== 'oauth') {
    const how = auth.type === 'client_credentials' ? 'client credentials' : 'cross-app access';
    throw new Error(
      `${options.server} logs in with ${how} from the config: there is no login to run`,
    );
  }
  const endpoint = config.endpoints.find(
    (entry) =>
      entry.server === options.server &&
      (entry.transport.type === 'streamable-http' || entry.transport.type === 'sse'),
  );
  if (!endpoint || !('url' in endpoint.transport)) {
    throw new Error(
      `${options.server} has no HTTP URL in ${options.config}: only HTTP servers log in`,
    );
  }
  return { url: endpoint.transport.url, auth };
}

/**
 * `mcpmx login <server>`: the authorization code flow (PKCE, a loopback redirect on 127.0.0.1)
 * for one configured server, even if a token is stored; the tokens go to the file store, where
 * every later `serve`, `call` and `status` finds them.
 */
export async function loginCommand(options: LoginOptions): Promise<void> {
  const log = options.log ?? ((line: string) => process.stderr.write(`mcpmx: ${line}\n`));
  const { url, auth } = await target(options);
  const store = createFileTokenStore();
  const show: AuthorizationHandler = (authorizationUrl) => {
    log(`to log in to ${options.server}, open this URL in a browser:`);
    log(`  ${authorizationUrl.href}`);
    if (options.browser) openBrowser(authorizationUrl.href);
    log('waiting for the browser to come back (Ctrl-C gives up)');
  };
  const session = createOAuthSession({
    server: options.server,
    store,
    onAuthorizationUrl: show,
    clientId: auth.clientId,
    clientSecret: auth.clientSecret,
    scopes: auth.scopes,
    clientMetadataUrl: auth.clientMetadataUrl,
    redirectPort: auth.redirectPort,
  });
  const stop = () => void session.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await session.login(url);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await session.close();
  }
  log(`logged in to ${options.server}; the tokens are stored in ${defaultTokenStorePath()}`);
}

/** `mcpmx logout <server>`: forgets the stored tokens and client registration. */
export async function logoutCommand(options: LoginOptions): Promise<void> {
  const log = options.log ?? ((line: string) => process.stderr.write(`mcpmx: ${line}\n`));
  const { url, auth } = await target(options);
  const store = createFileTokenStore();
  const session = createOAuthSession({
    server: options.server,
    store,
    clientId: auth.clientId,
    clientMetadataUrl: auth.clientMetadataUrl,
  });
  const forgot = await session.logout(url);
  await session.close();
  log(
    forgot
      ? `logged out of ${options.server}: its tokens are gone from ${defaultTokenStorePath()}`
      : `${options.server} had no stored login in ${defaultTokenStorePath()}`,
  );
}

/** Opens `url` in the desktop's browser, if there is one; never fails the login. */
function openBrowser(url: string): void {
  const command =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser here: the URL is printed.
  }
}
