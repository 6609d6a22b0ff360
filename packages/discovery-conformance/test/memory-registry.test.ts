// The README's example, as it is written there (the readme region below): the suite run
// against a Discovery of your own.
// #region readme
import { describeDiscoveryConformance } from '@mcpmx/discovery-conformance';
import { createMemoryDiscovery, MemoryRegistry, toRecords } from './memory-registry.js';

describeDiscoveryConformance('memory registry', async () => {
  const registry = new MemoryRegistry(); // your source, fresh for each case
  return {
    createDiscovery: () => createMemoryDiscovery(registry),
    publish: async (endpoints) => registry.write(toRecords(endpoints)),
    publishMalformed: async () => registry.add('broken-1', '{'),
    breakSource: async () => registry.setUp(false),
    restoreSource: async () => registry.setUp(true),
    close: async () => registry.close(),
  };
});
// #endregion readme
