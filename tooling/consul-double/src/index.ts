export type {
  ConsulDouble,
  ConsulDoubleOptions,
  ConsulEntryInput,
  ConsulFault,
  ConsulHealthEntry,
  ConsulRequestLog,
} from './consul-double.js';
export { parseConsulWait, startConsulDouble } from './consul-double.js';
