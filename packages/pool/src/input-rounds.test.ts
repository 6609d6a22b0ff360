import { RemoteError, SessionClosedError, TransportError } from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { afterFirstLeg, isInputRequired } from './input-rounds.js';

describe('input rounds', () => {
  it('a later leg that was never sent follows one that reached the server: reachedServer unknown', () => {
    const fields = { server: 's', replica: 's#0', reachedServer: false as const };
    const closed = afterFirstLeg(new SessionClosedError('session gone', fields));
    expect(SessionClosedError.isInstance(closed)).toBe(true);
    expect(closed).toMatchObject({ reachedServer: 'unknown', server: 's', replica: 's#0' });
    expect(closed.message).toContain('input_required');
    const refused = afterFirstLeg(new TransportError('connection refused', fields));
    expect(refused).toMatchObject({ code: 'MCPMX_TRANSPORT_ERROR', reachedServer: 'unknown' });
    // Anything else is passed on as it is.
    const remote = new RemoteError('no', { rpcCode: -32603 });
    expect(afterFirstLeg(remote)).toBe(remote);
  });

  it('isInputRequired reads the resultType only', () => {
    expect(isInputRequired({ resultType: 'input_required' })).toBe(true);
    expect(isInputRequired({ content: [] })).toBe(false);
    expect(isInputRequired(null)).toBe(false);
  });
});
