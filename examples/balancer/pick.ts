// Stand-ins: the replicas to choose from, and your call to one of them.
const replicas = [{ id: 'a#0' }, { id: 'a#1', weight: 2 }];
const call = async (replica: { id: string }) => replica.id;

// #region readme
import { createP2cPeakEwma } from '@mcpmx/balancer';

const balancer = createP2cPeakEwma();
// Candidates carry their own load: `inFlight` is counted by whoever sends (the client's
// per-replica concurrency limit), so a balancer never keeps a second count of it.
const replica = balancer.pick(replicas); // [{ id, weight?, status?, inFlight? }]
if (!replica) throw new Error('no replica to pick'); // only an empty list gives none
const started = Date.now();
try {
  await call(replica);
} finally {
  balancer.onEnd(replica.id, { latencyMs: Date.now() - started, success: true });
}
// #endregion readme
