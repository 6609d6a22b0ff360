import { ManualClock, SessionClosedError } from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { routeKit } from '../../../test/route-kit.js';

const answer = async (replica: { id: string }) => replica.id;

describe('the pick policy and the breaker gate (manual clock)', () => {
  it('skips down replicas; with none left, lists every replica and its state', async () => {
    const kit = routeKit({ clock: new ManualClock(), replicas: ['s#0', 's#1'], retries: 0 });
    kit.setStatus('s#0', 'down');
    for (let i = 0; i < 4; i++) await expect(kit.call(answer)).resolves.toBe('s#1');
    kit.setStatus('s#1', 'down');
    await expect(kit.call(answer)).rejects.toMatchObject({
      code: 'MCPMX_NO_HEALTHY_REPLICA',
      message: expect.stringMatching(/s#0: down[\s\S]*s#1: down/),
    });
    kit.close();
  });

  it('an open breaker is passed over; when every breaker is open the call is refused unsent', async () => {
    const clock = new ManualClock();
    const kit = routeKit({ clock, replicas: ['s#0', 's#1'], retries: 0, openAfter: 1 });
    kit.replica('s#0').breaker.recordFailure();
    for (let i = 0; i < 3; i++) await expect(kit.call(answer)).resolves.toBe('s#1');
    kit.replica('s#1').breaker.recordFailure();
    let sent = 0;
    await expect(kit.call(async () => String(++sent))).rejects.toMatchObject({
      code: 'MCPMX_CIRCUIT_OPEN',
      retryAfterMs: 1000,
    });
    expect(sent).toBe(0);
    kit.close();
  });

  it('a half-open replica gets the next call as its probe, and a second caller waits for it', async () => {
    const clock = new ManualClock();
    const kit = routeKit({ clock, replicas: ['s#0'], retries: 0, openAfter: 1 });
    kit.replica('s#0').breaker.recordFailure();
    clock.advance(1000); // the open period ends: half-open, one probe
    let finishProbe: (value: string) => void = () => undefined;
    const probe = kit.call(() => new Promise<string>((resolve) => (finishProbe = resolve)));
    let second = 'pending';
    const waiting = kit.call(answer).then((value) => (second = value));
    await Promise.resolve();
    expect(second).toBe('pending'); // refused by the gate, waiting for the probe to settle
    finishProbe('probe ok');
    await expect(probe).resolves.toBe('probe ok');
    await waiting;
    expect(second).toBe('s#0');
    expect(kit.replica('s#0').breaker.state).toBe('closed');
    kit.close();
  });

  it('an excluded replica is tried again only when nothing else is left', async () => {
    const clock = new ManualClock();
    const kit = routeKit({ clock, replicas: ['s#0', 's#1'], retries: 3, backoffMs: 0 });
    const sent: string[] = [];
    await expect(
      kit.call(
        async (replica) => {
          sent.push(replica.id);
          throw new SessionClosedError('gone');
        },
        { facts: { annotations: { readOnlyHint: true } } },
      ),
    ).rejects.toThrow('gone');
    expect(sent).toHaveLength(4);
    expect(sent[1]).not.toBe(sent[0]);
    kit.close();
  });
});

describe('the pick policy when ejection and breakers together leave nothing', () => {
  it('an ejected replica takes the call when every other replica has an open breaker', async () => {
    const clock = new ManualClock();
    const kit = routeKit({ clock, replicas: ['s#0', 's#1'], retries: 0, openAfter: 1 });
    kit.replica('s#0').breaker.recordFailure(); // s#0: breaker open
    // s#1: ejected by outlier detection after five consecutive failures (its breaker closed).
    for (let i = 0; i < 5; i++) kit.route.outliers.record('s#1', false);
    expect(kit.route.outliers.isEjected('s#1')).toBe(true);
    await expect(kit.call(answer)).resolves.toBe('s#1');
    kit.close();
  });
});

describe('the pick policy with a pinned replica', () => {
  it('retries a pinned call on its replica, never reporting the others as unhealthy', async () => {
    const kit = routeKit({
      clock: new ManualClock(),
      replicas: ['s#0', 's#1', 's#2'],
      retries: 1,
      backoffMs: 0,
    });
    const sent: string[] = [];
    await expect(
      kit.call(
        async (replica) => {
          sent.push(replica.id);
          throw new SessionClosedError('gone');
        },
        { replica: 's#1', facts: { annotations: { readOnlyHint: true } } },
      ),
    ).rejects.toMatchObject({ code: 'MCPMX_SESSION_CLOSED' });
    expect(sent).toEqual(['s#1', 's#1']);
    kit.close();
  });
});

describe('a breaker that opens takes its replica over from outlier detection', () => {
  // With the defaults both count five failures in a row, so a replica that dies is ejected
  // (30 s) as its breaker opens (1 s here). The ejection kept the half-open probe from ever
  // being picked while other replicas were healthy: the replica stayed out for the whole 30 s
  // after it was back (the demo's failover phase waited in vain for its breaker to close).
  const fail = async (): Promise<string> => {
    throw new SessionClosedError('connection reset');
  };

  it('is probed when its open period ends, though its failures reached the ejection threshold', async () => {
    const clock = new ManualClock();
    const kit = routeKit({ clock, replicas: ['s#0', 's#1', 's#2'], retries: 0 });
    for (let i = 0; i < 5; i++) {
      await expect(kit.call(fail, { replica: 's#1' })).rejects.toThrow('connection reset');
    }
    expect(kit.replica('s#1').breaker.state).toBe('open');
    expect(kit.route.outliers.isEjected('s#1')).toBe(false);
    clock.advance(1000); // half-open
    const sent: string[] = [];
    for (let i = 0; i < 3; i++) {
      await kit.call(async (replica) => {
        sent.push(replica.id);
        return replica.id;
      });
    }
    expect(sent[0]).toBe('s#1'); // the probe
    expect(kit.replica('s#1').breaker.state).toBe('closed');
    kit.close();
  });

  it('failures of calls in flight as it opened do not eject it', async () => {
    const clock = new ManualClock();
    const kit = routeKit({ clock, replicas: ['s#0', 's#1', 's#2'], retries: 0 });
    const fails: (() => void)[] = [];
    const calls = Array.from({ length: 10 }, () =>
      kit.call(
        () =>
          new Promise<string>((_, reject) =>
            fails.push(() => reject(new SessionClosedError('connection reset'))),
          ),
        { replica: 's#1' },
      ),
    );
    await Promise.resolve();
    expect(fails).toHaveLength(10); // all ten sent while the breaker was closed
    for (const failOne of fails) failOne();
    await Promise.allSettled(calls);
    expect(kit.replica('s#1').breaker.state).toBe('open');
    expect(kit.route.outliers.isEjected('s#1')).toBe(false);
    kit.close();
  });

  it('a replica that reconnects is readmitted at once', async () => {
    const clock = new ManualClock();
    const kit = routeKit({ clock, replicas: ['s#0', 's#1', 's#2'], retries: 0, openAfter: 50 });
    for (let i = 0; i < 5; i++) {
      await expect(kit.call(fail, { replica: 's#1' })).rejects.toThrow('connection reset');
    }
    expect(kit.route.outliers.isEjected('s#1')).toBe(true); // its breaker is still closed
    kit.setStatus('s#1', 'down');
    kit.setStatus('s#1', 'up'); // a new session: a new peer
    expect(kit.route.outliers.isEjected('s#1')).toBe(false);
    kit.close();
  });
});
