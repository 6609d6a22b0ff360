import { ManualClock } from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { CallTimer } from './call-timer.js';

describe('CallTimer: a request timeout that stops while the client answers the server', () => {
  it('fires at its timeout when never paused', () => {
    const clock = new ManualClock();
    let fired = 0;
    new CallTimer(clock, 100, () => fired++);
    clock.advance(99);
    expect(fired).toBe(0);
    clock.advance(1);
    expect(fired).toBe(1);
  });

  it('a pause holds the time left; it runs on after the release', () => {
    const clock = new ManualClock();
    let fired = 0;
    const timer = new CallTimer(clock, 100, () => fired++);
    clock.advance(60);
    const release = timer.pause();
    clock.advance(10_000);
    expect(fired).toBe(0);
    release();
    release(); // a second release is a no-op
    clock.advance(39);
    expect(fired).toBe(0);
    clock.advance(1);
    expect(fired).toBe(1);
  });

  it('overlapping pauses: the clock runs again only after the last release', () => {
    const clock = new ManualClock();
    let fired = 0;
    const timer = new CallTimer(clock, 100, () => fired++);
    const first = timer.pause();
    const second = timer.pause();
    first();
    clock.advance(500);
    expect(fired).toBe(0);
    second();
    clock.advance(100);
    expect(fired).toBe(1);
  });

  it('restart gives the full timeout again; stop leaves no timer behind', () => {
    const clock = new ManualClock();
    let fired = 0;
    const timer = new CallTimer(clock, 100, () => fired++);
    clock.advance(90);
    timer.restart();
    clock.advance(90);
    expect(fired).toBe(0);
    timer.stop();
    expect(clock.pending()).toEqual([]);
    clock.advance(1000);
    expect(fired).toBe(0);
    expect(timer.pause()).toBeTypeOf('function'); // after stop: a no-op release
  });
});
