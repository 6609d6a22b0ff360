import { createConfigDiscovery, createRegistry } from '@mcpmx/registry';

const registry = createRegistry();
const config = createConfigDiscovery({ path: './mcp.json', env: process.env });
await config.start();
registry.attach(config); // and any Discovery from @mcpmx/discovery-*

registry.on('registered', ({ replica }) => console.log('+', replica.id));
registry.on('updated', ({ replica, previous }) => console.log('~', previous.server, '→', replica.server));
console.log(registry.servers(), JSON.stringify(registry.snapshot()));
