import { createConsulDiscovery } from '@mcpmx/discovery-consul';

const discovery = createConsulDiscovery({ url: 'http://127.0.0.1:8500', service: 'files' });
discovery.on('update', (set) => console.log(set.endpoints));
discovery.on('error', ({ error }) => console.warn(error.message));
await discovery.start();
// ...
await discovery.stop();
