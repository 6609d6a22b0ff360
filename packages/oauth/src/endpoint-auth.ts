import {
  type AuthProvider,
  extractWWWAuthenticateParams,
  type FetchLike,
} from '@modelcontextprotocol/client';
import { Flight } from './singleflight.js';

/** What a transport gets for one endpoint: the SDK's AuthProvider and a fetch wrapper. */
export interface EndpointAuth {
  /** `token()` before every request; `onUnauthorized()` on a 401, then the request is retried once. */
  readonly authProvider: AuthProvider;
  /**
   * Wraps the transport's fetch: remembers which token each request carried (so a 401 that
   * arrives after someone else renewed the token does not renew it again), and answers a
   * 403 `insufficient_scope` by widening the grant (step-up) and sending the request again.
   */
  wrapFetch(fetch: FetchLike): FetchLike;
}

/**
 * Auth shared by every session, replica and reconnect of one server: `forEndpoint` is called
 * per transport, and every endpoint it returns shares one token and one renewal at a time.
 * `@mcpmx/pool` takes this as its `auth` option.
 */
export interface UpstreamAuth {
  forEndpoint(url: URL): EndpointAuth;
}

/** What a credential source does; createUpstreamAuth adds the sharing. */
export interface CredentialSource {
  /** The access token held now, without network or renewal. */
  current(): string | undefined;
  /** Loads what a store holds for this URL, and renews a token about to expire. */
  prepare(url: URL, renew: (task: () => Promise<void>) => Promise<void>): Promise<void>;
  /** After a 401: refresh, or run a new login, or throw (AuthRequiredError). */
  renew(context: { response: Response; serverUrl: URL; fetchFn: FetchLike }): Promise<void>;
  /** After a 403 insufficient_scope: widen the grant. Undefined: no step-up (the 403 stands). */
  stepUp?(context: {
    serverUrl: URL;
    scope: string | undefined;
    resourceMetadataUrl: URL | undefined;
    fetchFn: FetchLike;
  }): Promise<void>;
}

/** The parts of an UpstreamAuth a test or a status report reads. */
export interface SharedUpstreamAuth extends UpstreamAuth {
  /** How many renewals (refreshes, logins, step-ups) ran: concurrent 401s count once. */
  readonly renewals: number;
}

/** Builds the shared UpstreamAuth of one credential source: one renewal at a time, for all. */
export function createUpstreamAuth(source: CredentialSource): SharedUpstreamAuth {
  const flight = new Flight();
  // The token each response's request carried; responses are not kept alive by it.
  const sent = new WeakMap<Response, string | undefined>();
  const renew = (task: () => Promise<void>) => flight.run(task);
  /** A renewal is due unless the token moved on since the refused request was sent. */
  const stale = (response: Response | undefined) => {
    const now = source.current();
    return now === undefined || response === undefined || sent.get(response) === now;
  };

  const forEndpoint = (url: URL): EndpointAuth => {
    const isEndpoint = (input: string | URL | Request) => {
      const target =
        typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      return target === url.href;
    };
    const authProvider: AuthProvider = {
      token: async () => {
        await source.prepare(url, renew);
        return source.current();
      },
      onUnauthorized: async (context) => {
        if (!stale(context.response)) return;
        await renew(() => source.renew(context));
      },
    };
    const wrapFetch = (base: FetchLike): FetchLike => {
      const tracked: FetchLike = async (input, init) => {
        const response = await base(input, init);
        if (!isEndpoint(input)) return response;
        const carried = bearerOf(init?.headers);
        sent.set(response, carried);
        if (response.status !== 403 || !source.stepUp) return response;
        const challenge = extractWWWAuthenticateParams(response);
        if (challenge.error !== 'insufficient_scope') return response;
        if (source.current() === carried) {
          const stepUp = source.stepUp.bind(source);
          await renew(() =>
            stepUp({
              serverUrl: url,
              scope: challenge.scope,
              resourceMetadataUrl: challenge.resourceMetadataUrl,
              fetchFn: base,
            }),
          );
        }
        const token = source.current();
        if (token === undefined || token === carried) return response;
        await response.body?.cancel().catch(() => undefined);
        const headers = new Headers(init?.headers);
        headers.set('authorization', `Bearer ${token}`);
        const again = await base(input, { ...init, headers });
        sent.set(again, token);
        return again;
      };
      return tracked;
    };
    return { authProvider, wrapFetch };
  };

  return {
    forEndpoint,
    get renewals() {
      return flight.runs;
    },
  };
}

function bearerOf(headers: ConstructorParameters<typeof Headers>[0]): string | undefined {
  if (headers === undefined) return undefined;
  const value = new Headers(headers).get('authorization');
  return value?.startsWith('Bearer ') ? value.slice('Bearer '.length) : undefined;
}
