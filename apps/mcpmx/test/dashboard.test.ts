import { existsSync } from 'node:fs';
import { createCircuitBreaker, createOutlierDetector } from '@mcpmx/breaker';
import { createMultiServerClient, type MultiServerClient } from '@mcpmx/client';
import type { EndpointDescriptor } from '@mcpmx/core';
import {
  allUp,
  type ChildServer,
  descendantPids,
  inFlight,
  startEverythingHttp,
  startWebSocketServer,
  testServers,
} from '@mcpmx/tooling-test-servers';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type HttpGateway, startHttpGateway } from '../src/http-gateway.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const underCi = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
const TOKEN = 's3cret token/with+odd=chars';
const PROTOCOL = 'mcpmx-dashboard.v1';
const bearer = (token: string) => `bearer.${Buffer.from(token).toString('base64url')}`;

/** Fast healing and no background health checks: the client notices a kill by the socket closing. */
const testPool = { backoff: { initialMs: 20, maxMs: 200 }, healthCheckIntervalMs: 0 };

/** Calls `tool` one call after another until stopped; resolves with the count, throwing any failure. */
const keepCalling = (client: MultiServerClient, tool: string) => {
  let stopped = false;
  const done = (async () => {
    let calls = 0;
    while (!stopped) {
      await client.callTool(tool, { message: `load ${calls}` });
      calls++;
    }
    return calls;
  })();
  return {
    stop: async () => {
      stopped = true;
      return done;
    },
  };
};

/** The background colour the browser computed for the first element matching `selector`. */
const colourOf = (page: Page, selector: string) =>
  page.evaluate(
    `getComputedStyle(document.querySelector(${JSON.stringify(selector)})).backgroundColor`,
  );

/** Opens a WebSocket to the dashboard; resolves with the socket and first frame, or the HTTP refusal. */
const openSocket = (
  url: string,
  options: { protocols?: string[]; headers?: Record<string, string> } = {},
) =>
  new Promise<
    | { ok: true; socket: WebSocket; protocol: string; frame: { servers: { name: string }[] } }
    | { ok: false; status: number }
  >((resolve, reject) => {
    const socket = new WebSocket(url, options.protocols ?? [], { headers: options.headers });
    socket.once('message', (data) =>
      resolve({ ok: true, socket, protocol: socket.protocol, frame: JSON.parse(String(data)) }),
    );
    socket.once('unexpected-response', (_request, response) => {
      resolve({ ok: false, status: response.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('error', (error) => {
      if (socket.readyState !== socket.CLOSED) reject(error);
    });
  });

describe('the dashboard WebSocket takes the gateway checks (ws client, no browser)', () => {
  let client: MultiServerClient | undefined;
  let gateway: HttpGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    await client?.close();
    gateway = undefined;
    client = undefined;
  });

  it('serves the static page at / without the token; frames only with it, same origin, under the cap', async () => {
    client = createMultiServerClient({
      endpoints: [
        {
          id: 'fault#0',
          server: 'fault',
          transport: { type: 'stdio', command: process.execPath, args: [testServers.fault] },
        },
      ],
      pool: testPool,
    });
    await client.start();
    gateway = await startHttpGateway({ client, token: TOKEN, dashboard: { maxClients: 1 } });
    const { url } = gateway;
    expect(gateway.dashboardUrl).toBe(`${url}/`);
    const socketUrl = `${url.replace('http:', 'ws:')}/dashboard/ws`;

    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(page.headers.get('content-security-policy')).toMatch(/connect-src 'self'/);
    const html = await page.text();
    expect(html).toContain('data-replicas');
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/); // nothing external
    expect((await fetch(`${url}/status`)).status).toBe(401); // the rest still needs the token

    expect(await openSocket(socketUrl)).toEqual({ ok: false, status: 401 });
    expect(await openSocket(socketUrl, { protocols: [PROTOCOL, bearer('wrong')] })).toEqual({
      ok: false,
      status: 401,
    });
    const auth = { authorization: `Bearer ${TOKEN}` };
    for (const headers of [
      { ...auth, host: 'evil.example' },
      { ...auth, origin: 'http://evil.example' },
      // A page on another local port passes the gateway's Origin check but is not this page.
      { ...auth, origin: 'http://127.0.0.1:1' },
    ]) {
      expect(await openSocket(socketUrl, { headers })).toEqual({ ok: false, status: 403 });
    }
    expect(await openSocket(`${url.replace('http:', 'ws:')}/elsewhere`, { headers: auth })).toEqual(
      { ok: false, status: 404 },
    );

    // The browser's way: the token as a subprotocol, never echoed back.
    const opened = await openSocket(socketUrl, {
      protocols: [PROTOCOL, bearer(TOKEN)],
      headers: { origin: url },
    });
    if (!opened.ok) throw new Error(`refused with ${opened.status}`);
    expect(opened.protocol).toBe(PROTOCOL);
    expect(opened.frame.servers.map((server) => server.name)).toEqual(['fault']);
    // maxClients: 1
    expect(await openSocket(socketUrl, { headers: auth })).toEqual({ ok: false, status: 503 });

    const closed = new Promise<void>((resolve) => opened.socket.once('close', () => resolve()));
    await gateway.close();
    await closed;
  });
});

describe.runIf(haveChromium || underCi)('the dashboard in headless Chromium', () => {
  const servers: ChildServer[] = [];
  let client: MultiServerClient | undefined;
  let gateway: HttpGateway | undefined;
  let browser: Browser | undefined;
  afterEach(async () => {
    await browser?.close();
    await gateway?.close();
    await client?.close();
    await Promise.all(servers.splice(0).map((server) => server.close()));
    browser = undefined;
    gateway = undefined;
    client = undefined;
  });

  it('renders servers and replicas; a replica killed -9 turns red, shows its failovers, and turns green again', async () => {
    if (!haveChromium) {
      throw new Error(
        `${CHROMIUM} not found: install Debian's chromium (apt-get install chromium). Under CI a missing browser is a failure, not a skip.`,
      );
    }
    const before = descendantPids();
    // Started together; each one that started is owned (closed after the test) even if another failed.
    const starting = await Promise.allSettled([
      startWebSocketServer(),
      startWebSocketServer(),
      startWebSocketServer(),
      startEverythingHttp('streamableHttp'),
    ]);
    for (const result of starting) if (result.status === 'fulfilled') servers.push(result.value);
    for (const result of starting) if (result.status === 'rejected') throw result.reason;
    const faults = servers.slice(0, 3);
    const endpoints: EndpointDescriptor[] = [
      ...faults.map((server, index) => ({
        id: `fault#${index}`,
        server: 'fault',
        transport: { type: 'websocket' as const, url: server.url },
      })),
      {
        id: 'everything#0',
        server: 'everything',
        transport: { type: 'streamable-http', url: servers[3]?.url ?? '' },
      },
    ];
    client = createMultiServerClient({
      endpoints,
      pool: testPool,
      // The defaults hold a failed replica out for 5 s (breaker) and 30 s (ejection); shorter
      // here, so the test sees it come back.
      createBreaker: () => createCircuitBreaker({ halfOpenAfter: { initialMs: 300, maxMs: 300 } }),
      createOutlierDetector: () => createOutlierDetector({ baseEjectionMs: 300, intervalMs: 300 }),
    });
    await client.start();
    await allUp(client);
    gateway = await startHttpGateway({ client, token: TOKEN });

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    // Each wait below fails with its selector well inside the test's own timeout.
    page.setDefaultTimeout(10_000);
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(gateway?.url ?? '-')) external.push(request.url());
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });

    await page.goto(`${gateway.url}/#token=${encodeURIComponent(TOKEN)}`);
    await page.waitForSelector('body[data-connection="open"]');
    expect(page.url()).toBe(`${gateway.url}/`); // the token left the address bar
    for (const id of ['fault#0', 'fault#1', 'fault#2', 'everything#0']) {
      await page.waitForSelector(`tr[data-replica="${id}"][data-status="up"][data-health="ok"]`);
    }
    await page.waitForSelector('tr[data-server-row="fault"][data-healthy="3"]');
    await page.waitForSelector('tr[data-server-row="everything"][data-healthy="1"]');

    // Traffic for the charts, then read-only calls in flight while the busiest replica dies.
    for (let i = 0; i < 20; i++) {
      await client.callTool(i % 4 === 0 ? 'everything__echo' : 'fault__echo', { message: `m${i}` });
    }
    const started = inFlight(client, 'slow', 12);
    const calls = Array.from({ length: 12 }, () => client?.callTool('slow', { ms: 1500 }));
    const victim = await started;
    const victimServer = faults[Number(victim.split('#')[1])];
    if (!victimServer) throw new Error(`no server for ${victim}`);
    await victimServer.kill('SIGKILL');

    const row = `tr[data-replica="${victim}"]`;
    await page.waitForSelector(`${row}[data-status="down"][data-health="bad"]`);
    expect(await colourOf(page, `${row} .dot`)).toBe('rgb(207, 34, 46)'); // red
    await page.waitForSelector('tr[data-server-row="fault"][data-healthy="2"]');
    // Its in-flight read-only calls moved to other replicas: listed as failovers.
    await page.waitForSelector(`li[data-failover][data-from="${victim}"]`);
    const results = await Promise.allSettled(calls);
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    // The header's words match what happened: no call failed, although attempts did and were
    // retried on other replicas (it said "errors" and counted those).
    await page.waitForFunction(
      `Number(document.querySelector('[data-total="retriedAttempts"]').textContent) > 0`,
    );
    expect(await page.textContent('[data-total="failedCalls"]')).toBe('0');
    expect(await page.textContent('.totals')).toContain('failed attempts (retried)');
    await page.waitForSelector('svg[data-chart="rate"] [data-line="rate"]');
    await page.waitForSelector('svg[data-chart="latency"] [data-line="p99"]');
    if (process.env.MCPMX_DASHBOARD_SCREENSHOT) {
      await page.screenshot({ path: process.env.MCPMX_DASHBOARD_SCREENSHOT, fullPage: true });
    }

    // Back up: the pool reconnects, and under traffic the breaker's half-open probe closes it.
    await victimServer.restart();
    const traffic = keepCalling(client, 'fault__echo');
    await page.waitForSelector(`${row}[data-status="up"][data-breaker="closed"][data-health="ok"]`);
    await traffic.stop();
    expect(await colourOf(page, `${row} .dot`)).toBe('rgb(26, 127, 55)'); // green
    await page.waitForSelector('tr[data-server-row="fault"][data-healthy="3"]');

    expect(external).toEqual([]);
    expect(pageErrors).toEqual([]);

    await browser.close();
    browser = undefined;
    await gateway.close();
    gateway = undefined;
    await client.close();
    client = undefined;
    await Promise.all(servers.splice(0).map((server) => server.close()));
    expect(descendantPids()).toEqual(before);
  }, 90_000);
});
