import { createHash } from 'node:crypto';

/** The WebSocket subprotocol the page speaks; a bearer token rides beside it as `bearer.<base64url>`. */
export const DASHBOARD_PROTOCOL = 'mcpmx-dashboard.v1';

export interface DashboardPage {
  html: string;
  /** Allows only this page's own inline script and style, and connections to its own origin. */
  contentSecurityPolicy: string;
}

/**
 * The dashboard: one self-contained HTML page (no CDN, no external request) that connects to
 * the WebSocket at `socketPath` on its own origin and renders each frame: a table of servers
 * and replicas coloured by health, request rate and p50/p99 latency charts (hand-drawn SVG),
 * and the recent failovers. Upstream text is only ever set as textContent.
 *
 * A token given as `/#token=<token>` (a fragment never reaches the server or a Referer) is kept
 * in sessionStorage, removed from the address bar, and sent as the `bearer.` subprotocol,
 * since a browser cannot set headers on a WebSocket.
 *
 * Stable hooks for tests and scripts: `body[data-connection]`, `body[data-frames]`,
 * `tr[data-replica][data-server][data-status][data-breaker][data-health]`,
 * `tr[data-server-row][data-healthy]`, `svg[data-chart][data-points][data-last]`,
 * `li[data-failover][data-from][data-to]` and `[data-total]`.
 */
export function renderDashboardPage(socketPath: string): DashboardPage {
  // JSON.stringify, with `<` escaped so no value can close the script element.
  const literal = (value: string) => JSON.stringify(value).replaceAll('<', '\\u003c');
  const script = SCRIPT.replace('__SOCKET_PATH__', () => literal(socketPath)).replace(
    '__PROTOCOL__',
    () => literal(DASHBOARD_PROTOCOL),
  );
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>mcpmx dashboard</title>
<style>${STYLE}</style>
</head>
<body data-connection="connecting" data-frames="0">
${BODY}
<script>${script}</script>
</body>
</html>
`;
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src '${sha256(script)}'`,
    `style-src '${sha256(STYLE)}'`,
    "connect-src 'self'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, contentSecurityPolicy };
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

const STYLE = `
:root { --ok: #1a7f37; --warn: #b58100; --bad: #cf222e; --line: #d0d7de; --muted: #57606a;
  --p50: #0969da; --p99: #8250df; color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1f2328; background: #f6f8fa; }
header { display: flex; align-items: center; gap: 16px; flex-wrap: wrap; padding: 12px 20px;
  background: #24292f; color: #fff; }
header h1 { margin: 0; font-size: 18px; }
.pill { padding: 2px 10px; border-radius: 999px; font-size: 12px; background: #57606a; }
body[data-connection="open"] .pill { background: var(--ok); }
body[data-connection="closed"] .pill { background: var(--bad); }
.totals { display: flex; gap: 20px; margin: 0 0 0 auto; }
.totals div { text-align: right; }
.totals dt { font-size: 11px; text-transform: uppercase; opacity: .75; }
.totals dd { margin: 0; font-size: 18px; font-variant-numeric: tabular-nums; }
.banner { margin: 0; padding: 8px 20px; background: #ffebe9; color: var(--bad); }
main { padding: 16px 20px; display: grid; gap: 16px; }
section, figure { background: #fff; border: 1px solid var(--line); border-radius: 6px; margin: 0;
  padding: 12px 14px; }
h2, figcaption { margin: 0 0 8px; font-size: 14px; font-weight: 600; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px;
  background: none; border: 0; padding: 0; }
svg { width: 100%; height: auto; display: block; }
svg text { font-size: 11px; fill: var(--muted); }
svg .grid { stroke: #eaeef2; }
.key { font-weight: 400; font-size: 12px; margin-left: 10px; }
.key::before { content: ""; display: inline-block; width: 14px; height: 3px; margin-right: 4px;
  vertical-align: middle; background: currentColor; }
.key.all { color: var(--ok); } .key.err { color: var(--bad); }
.key.p50 { color: var(--p50); } .key.p99 { color: var(--p99); }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #eaeef2;
  vertical-align: top; }
thead th { font-size: 12px; color: var(--muted); font-weight: 600; }
tr.server th { background: #f6f8fa; font-size: 13px; }
tr.server .count { font-weight: 400; color: var(--muted); margin-left: 8px; }
tr.health-warn td { background: #fff8c5; }
tr.health-bad td { background: #ffebe9; }
.dot { display: inline-block; width: 12px; height: 12px; border-radius: 50%;
  vertical-align: middle; }
.health-ok .dot { background: var(--ok); }
.health-warn .dot { background: var(--warn); }
.health-bad .dot { background: var(--bad); }
.health-bad .status, .health-bad .breaker-open { color: var(--bad); font-weight: 600; }
.health-warn .status { color: var(--warn); font-weight: 600; }
td { white-space: nowrap; }
td.error, td.transport { white-space: normal; overflow-wrap: anywhere; }
.error { color: var(--muted); max-width: 420px; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
ol { margin: 0; padding-left: 20px; }
li { padding: 2px 0; }
.ago { color: var(--muted); display: inline-block; min-width: 70px; }
.empty { color: var(--muted); margin: 0; }
body[data-connection="closed"] main { opacity: .55; }
`;

const BODY = `<header>
  <h1>mcpmx</h1>
  <span class="pill" data-connection-label>connecting</span>
  <dl class="totals">
    <div><dt>servers healthy</dt><dd data-total="servers">-</dd></div>
    <div><dt>calls</dt><dd data-total="calls">0</dd></div>
    <div><dt>failed calls</dt><dd data-total="failedCalls">0</dd></div>
    <div title="attempts that failed and were tried again, on the same or another replica: not failed calls"><dt>failed attempts (retried)</dt><dd data-total="retriedAttempts">0</dd></div>
    <div><dt>failovers</dt><dd data-total="failovers">0</dd></div>
  </dl>
</header>
<p class="banner" data-banner hidden></p>
<main>
  <section class="charts">
    <figure>
      <figcaption>Attempts/s<span class="key all">all</span><span class="key err">failed</span></figcaption>
      <svg data-chart="rate" viewBox="0 0 600 180" role="img" aria-label="request rate"></svg>
    </figure>
    <figure>
      <figcaption>Latency, ms<span class="key p50">p50</span><span class="key p99">p99</span></figcaption>
      <svg data-chart="latency" viewBox="0 0 600 180" role="img" aria-label="latency"></svg>
    </figure>
  </section>
  <section>
    <h2>Servers and replicas</h2>
    <table data-replicas>
      <thead><tr><th></th><th>replica</th><th>status</th><th>breaker</th><th>in flight</th>
        <th>ok / failed</th><th>latency</th><th>transport</th><th>last error</th></tr></thead>
      <tbody></tbody>
    </table>
  </section>
  <section>
    <h2>Recent failovers</h2>
    <ol data-failovers></ol>
    <p class="empty" data-failovers-empty>none yet</p>
  </section>
</main>`;

// Browser code, kept to ES2017 and free of template literals so it can live in this string.
const SCRIPT = `
(function () {
  'use strict';
  var SOCKET_PATH = __SOCKET_PATH__;
  var PROTOCOL = __PROTOCOL__;
  var SVG = 'http://www.w3.org/2000/svg';
  var body = document.body;
  var frames = 0;
  var retries = 0;

  function $(selector) { return document.querySelector(selector); }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var key in attrs) if (attrs[key] !== undefined) node.setAttribute(key, String(attrs[key]));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }
  function svgEl(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    for (var key in attrs) node.setAttribute(key, String(attrs[key]));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function readToken() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ''));
    var token = params.get('token');
    if (token) {
      try { sessionStorage.setItem('mcpmx-token', token); } catch (e) { /* private mode */ }
      history.replaceState(null, '', location.pathname + location.search);
      return token;
    }
    try { return sessionStorage.getItem('mcpmx-token') || ''; } catch (e) { return ''; }
  }
  function base64url(text) {
    var bytes = new TextEncoder().encode(text);
    var binary = '';
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/[+]/g, '-').replace(/[/]/g, '_').replace(/=+$/, '');
  }

  function setConnection(state, message) {
    body.setAttribute('data-connection', state);
    $('[data-connection-label]').textContent = state === 'open' ? 'live' : state;
    var banner = $('[data-banner]');
    banner.hidden = !message;
    banner.textContent = message || '';
  }

  function connect() {
    var token = readToken();
    var protocols = [PROTOCOL];
    if (token) protocols.push('bearer.' + base64url(token));
    var scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    var socket = new WebSocket(scheme + location.host + SOCKET_PATH, protocols);
    socket.onopen = function () {
      retries = 0;
      setConnection('open');
    };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame && frame.type === 'frame') render(frame);
    };
    socket.onclose = function () {
      var wait = Math.min(10000, 500 * Math.pow(2, retries++));
      setConnection('closed', 'Not connected to the gateway; retrying in ' + Math.round(wait / 1000) +
        ' s. If the gateway has a token, open this page as /#token=<token>.');
      setTimeout(connect, wait);
    };
  }

  function render(frame) {
    frames++;
    renderTotals(frame);
    renderReplicas(frame);
    renderCharts(frame.series);
    renderFailovers(frame);
    body.setAttribute('data-frames', String(frames));
  }

  function renderTotals(frame) {
    var healthy = frame.servers.filter(function (s) { return s.healthy > 0; }).length;
    $('[data-total="servers"]').textContent = healthy + ' / ' + frame.servers.length;
    $('[data-total="calls"]').textContent = String(frame.totals.calls);
    $('[data-total="failedCalls"]').textContent = String(frame.totals.failedCalls);
    $('[data-total="retriedAttempts"]').textContent = String(frame.totals.retriedAttempts);
    $('[data-total="failovers"]').textContent = String(frame.totals.failovers);
  }

  function renderReplicas(frame) {
    var tbody = $('[data-replicas] tbody');
    var rows = document.createDocumentFragment();
    frame.servers.forEach(function (server) {
      var head = el('tr', { class: 'server', 'data-server-row': server.name, 'data-healthy': server.healthy });
      var th = el('th', { colspan: 9 }, server.name);
      th.appendChild(el('span', { class: 'count' },
        server.healthy + ' of ' + server.replicas.length + ' healthy'));
      head.appendChild(th);
      rows.appendChild(head);
      server.replicas.forEach(function (replica) {
        var tr = el('tr', {
          class: 'health-' + replica.health,
          'data-replica': replica.id,
          'data-server': server.name,
          'data-status': replica.status,
          'data-breaker': replica.breaker,
          'data-health': replica.health,
        });
        var dot = el('td', { title: replica.health });
        dot.appendChild(el('span', { class: 'dot' }));
        tr.appendChild(dot);
        tr.appendChild(el('td', { class: 'mono' }, replica.id));
        tr.appendChild(el('td', { class: 'status', title: replica.statusReason }, replica.status));
        var breaker = replica.breaker;
        if (replica.ejectedUntil !== undefined) {
          breaker += ', ejected ' + Math.max(0, Math.ceil((replica.ejectedUntil - frame.at) / 1000)) + ' s';
        }
        tr.appendChild(el('td', { class: 'breaker-' + replica.breaker }, breaker));
        tr.appendChild(el('td', {}, replica.inFlight));
        tr.appendChild(el('td', {}, replica.successes + ' / ' + replica.errors));
        tr.appendChild(el('td', {}, replica.ewmaLatencyMs === null ? '-' : replica.ewmaLatencyMs + ' ms'));
        tr.appendChild(el('td', { class: 'mono transport' }, replica.transport));
        var problem = replica.lastError || (replica.status === 'up' ? '' : replica.statusReason);
        tr.appendChild(el('td', { class: 'error' }, problem));
        rows.appendChild(tr);
      });
    });
    tbody.replaceChildren(rows);
  }

  function niceCeil(value) {
    if (!(value > 0)) return 1;
    var power = Math.pow(10, Math.floor(Math.log10(value)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * power >= value) return steps[i] * power;
    return 10 * power;
  }
  function label(value) {
    return value >= 100 ? String(Math.round(value)) : String(Math.round(value * 10) / 10);
  }

  function drawChart(svg, lines, seconds) {
    var width = 600, height = 180, left = 46, right = 10, top = 10, bottom = 22;
    var n = lines[0].values.length;
    var max = 0;
    lines.forEach(function (line) {
      line.values.forEach(function (v) { if (v !== null && v > max) max = v; });
    });
    max = niceCeil(max);
    var x = function (i) { return left + (n <= 1 ? 0 : (i * (width - left - right)) / (n - 1)); };
    var y = function (v) { return top + (1 - v / max) * (height - top - bottom); };
    var parts = [];
    [0, 0.5, 1].forEach(function (f) {
      parts.push(svgEl('line', { class: 'grid', x1: left, x2: width - right, y1: y(max * f), y2: y(max * f) }));
      parts.push(svgEl('text', { x: left - 6, y: y(max * f) + 4, 'text-anchor': 'end' }, label(max * f)));
    });
    parts.push(svgEl('text', { x: left, y: height - 6 }, '-' + seconds + ' s'));
    parts.push(svgEl('text', { x: width - right, y: height - 6, 'text-anchor': 'end' }, 'now'));
    lines.forEach(function (line) {
      // Intervals without requests have no latency: the line breaks there, and a point with
      // no neighbour is drawn as a dot.
      var group = svgEl('g', { 'data-line': line.name, fill: line.color });
      var d = '';
      var values = line.values;
      values.forEach(function (v, i) {
        if (v === null) return;
        var joined = i > 0 && values[i - 1] !== null;
        d += (joined ? 'L' : 'M') + x(i).toFixed(1) + ' ' + y(v).toFixed(1) + ' ';
        if (!joined && (i === values.length - 1 || values[i + 1] === null)) {
          group.appendChild(svgEl('circle', { cx: x(i).toFixed(1), cy: y(v).toFixed(1), r: 3 }));
        }
      });
      if (!d) return;
      group.insertBefore(svgEl('path', { d: d, fill: 'none', stroke: line.color,
        'stroke-width': 2, 'stroke-linejoin': 'round' }), group.firstChild);
      parts.push(group);
    });
    svg.replaceChildren.apply(svg, parts);
    var last = lines[0].values[n - 1];
    svg.setAttribute('data-points', String(n));
    svg.setAttribute('data-last', last === null || last === undefined ? '' : String(last));
  }

  function renderCharts(series) {
    var seconds = Math.round((series.rate.length * series.intervalMs) / 1000);
    drawChart($('[data-chart="rate"]'), [
      { name: 'rate', values: series.rate, color: '#1a7f37' },
      { name: 'errors', values: series.errorRate, color: '#cf222e' },
    ], seconds);
    drawChart($('[data-chart="latency"]'), [
      { name: 'p50', values: series.p50, color: '#0969da' },
      { name: 'p99', values: series.p99, color: '#8250df' },
    ], seconds);
  }

  function renderFailovers(frame) {
    var list = $('[data-failovers]');
    var items = document.createDocumentFragment();
    frame.failovers.forEach(function (failover) {
      var li = el('li', { 'data-failover': '', 'data-server': failover.server,
        'data-from': failover.from, 'data-to': failover.to });
      li.appendChild(el('span', { class: 'ago' }, Math.max(0, Math.round((frame.at - failover.at) / 1000)) + ' s ago'));
      li.appendChild(document.createTextNode(failover.server + ': '));
      li.appendChild(el('span', { class: 'mono' }, failover.from + ' \\u2192 ' + failover.to));
      var what = failover.method + (failover.target ? ' ' + failover.target : '');
      li.appendChild(document.createTextNode(' (' + what + ')'));
      items.appendChild(li);
    });
    list.replaceChildren(items);
    $('[data-failovers-empty]').hidden = frame.failovers.length > 0;
  }

  connect();
})();
`;
