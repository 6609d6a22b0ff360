export { requireSystemBinary } from './system-binary.js';
export type { StartDaemonOptions } from './system-daemon.js';
export { startDaemon, stopDaemon } from './system-daemon.js';
