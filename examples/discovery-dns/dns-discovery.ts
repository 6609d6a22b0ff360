import { createDnsDiscovery } from '@mcpmx/discovery-dns';

const discovery = createDnsDiscovery({
  name: '_mcp._tcp.files.example', // SRV name
  server: 'files',                 // logical server the replicas belong to
  resolver: '10.0.0.2:5353',       // optional: your DNS server, with a port
  refreshMs: 15_000,
});
discovery.on('update', (set) => console.log(set.endpoints, set.skipped));
discovery.on('error', ({ error }) => console.warn(error.message));
await discovery.start();
// later: await discovery.stop();
