// Preloaded (`node --import`) into a gateway under a bench: sends process.memoryUsage() to the
// parent over IPC every 200 ms. Not a benchmark itself; the bench's gateway-process.ts uses it.
const timer = setInterval(() => {
  const { rss, heapUsed } = process.memoryUsage();
  process.send?.({ rss, heapUsed });
}, 200);
timer.unref();
