import { createEtcdDiscovery, register } from '@mcpmx/discovery-etcd';

// In the MCP server process:
const registration = await register({
  hosts: 'http://127.0.0.1:2379', prefix: '/mcpmx/servers/', key: 'files-a',
  record: { server: 'files', url: 'http://10.0.0.5:8080/mcp', tags: ['eu'], weight: 2 },
  ttlSeconds: 10,
});
// In the client:
const discovery = createEtcdDiscovery({ hosts: 'http://127.0.0.1:2379', prefix: '/mcpmx/servers/' });
discovery.on('update', (set) => console.log(set.endpoints, set.skipped));
await discovery.start();
// on shutdown: await registration.close(); await discovery.stop();
