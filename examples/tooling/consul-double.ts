import { startConsulDouble } from '@mcpmx/tooling-consul-double';

const consul = await startConsulDouble(); // { port?: 0, jitter?: true }
consul.setService('files', [{ id: 'a', port: 8001, tags: ['mcp'], meta: { mcp_path: '/mcp' } }]);
// ... consul.url, consul.requests, consul.blockedCount()
await consul.close();
