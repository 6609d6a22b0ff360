/** The health of one replica as the pool and registry see it. */
export type ReplicaStatus = 'unknown' | 'connecting' | 'up' | 'degraded' | 'down';

export interface StatusChange {
  server: string;
  replica: string;
  from: ReplicaStatus;
  to: ReplicaStatus;
  /** Why, in words: "process exited with code 137", "ping failed: ...", "session opened". */
  reason: string;
  error?: unknown;
  at: number;
}

/** Higher is healthier. Balancers prefer the higher rank when two candidates differ. */
export function healthRank(status: ReplicaStatus | undefined): number {
  switch (status) {
    case 'up':
    case undefined:
      return 3;
    case 'degraded':
      return 2;
    case 'unknown':
    case 'connecting':
      return 1;
    case 'down':
      return 0;
  }
}
