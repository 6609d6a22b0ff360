import { requireSystemBinary, startDaemon, stopDaemon } from '@mcpmx/tooling-test-daemons';
import { describe } from 'vitest';

const dnsmasq = requireSystemBinary('dnsmasq', 'dnsmasq');
describe.skipIf(!dnsmasq.path)(`dns ${dnsmasq.skipReason ?? ''}`, () => {
  // const child = await startDaemon(dnsmasq.path, args, { name: 'dnsmasq', readyText: 'started, version' });
  // ... await stopDaemon(child);
});
