// Preloaded (`node --import`) into a gateway under a bench: sends process.memoryUsage() and the
// event loop's delay to the parent over IPC every 200 ms; the message "reset-delay" starts the
// delay histogram anew. Not a benchmark itself; the bench's gateway-process.ts uses it.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const report = (reset: boolean) => {
  const { rss, heapUsed } = process.memoryUsage();
  process.send?.({ rss, heapUsed, delayMaxMs: delay.max / 1e6, reset });
};
const timer = setInterval(() => report(false), 200);
timer.unref();
process.on('message', (message) => {
  if (message !== 'reset-delay') return;
  delay.reset();
  report(true);
});
// The IPC channel must not keep the gateway alive.
process.channel?.unref();
