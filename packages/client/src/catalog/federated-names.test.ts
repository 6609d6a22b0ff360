import { McpmxError, NameConflictError } from '@mcpmx/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignFederatedNames, type NameOwner, resolveNaming } from './federated-names.js';

const names = (owners: NameOwner[], policy: 'prefix' | 'prefix-on-conflict' | 'none') =>
  assignFederatedNames(owners, resolveNaming({ policy }));

const VALID = /^[a-zA-Z0-9_-]{1,64}$/;

describe('assignFederatedNames', () => {
  const owners: NameOwner[] = [
    { server: 'alpha', name: 'echo' },
    { server: 'beta', name: 'echo' },
    { server: 'beta', name: 'sum' },
  ];

  it('prefix: every name carries its server', () => {
    expect([...names(owners, 'prefix').keys()].sort()).toEqual([
      'alpha__echo',
      'beta__echo',
      'beta__sum',
    ]);
  });

  it('prefix-on-conflict: only the shared name is prefixed', () => {
    const table = names(owners, 'prefix-on-conflict');
    expect([...table.keys()].sort()).toEqual(['alpha__echo', 'beta__echo', 'sum']);
    expect(table.get('sum')).toEqual({ server: 'beta', name: 'sum' });
  });

  it('none: a shared name is an error naming both servers and the fix', () => {
    let error: unknown;
    try {
      names(owners, 'none');
    } catch (caught) {
      error = caught;
    }
    expect(McpmxError.hasCode(error, 'MCPMX_NAME_CONFLICT')).toBe(true);
    expect((error as Error).message).toContain('"echo"');
    expect((error as Error).message).toContain('alpha, beta');
    expect((error as Error).message).toContain('prefix');
  });

  it('shortens long names with a stable hash and maps them back', () => {
    const long = 'x'.repeat(80);
    const table = names([{ server: 'files', name: long }], 'prefix');
    const [federated] = [...table.keys()];
    expect(federated).toMatch(VALID);
    expect(federated).toMatch(/^files__x+_[0-9a-f]{8}$/);
    expect(table.get(federated as string)).toEqual({ server: 'files', name: long });
    // Stable across calls.
    expect([...names([{ server: 'files', name: long }], 'prefix').keys()]).toEqual([federated]);
  });

  it('rewrites characters that model APIs reject', () => {
    const table = names([{ server: 'web', name: 'fetch.page' }], 'none');
    const [federated] = [...table.keys()];
    expect(federated).toMatch(/^fetch_page_[0-9a-f]{8}$/);
    expect(table.get(federated as string)?.name).toBe('fetch.page');
  });

  it('a server cannot shadow another by naming a tool like its prefixed name', () => {
    const table = names(
      [
        { server: 'evil', name: 'bank__transfer' },
        { server: 'bank', name: 'transfer' },
        { server: 'other', name: 'transfer' },
      ],
      'prefix-on-conflict',
    );
    expect(table.get('bank__transfer')).toEqual({ server: 'bank', name: 'transfer' });
    const evil = [...table].find(([, owner]) => owner.server === 'evil');
    expect(evil?.[0]).not.toBe('bank__transfer');
  });

  it('property: under "none" a name is either unique or a conflict error, never shadowed', () => {
    const owner = fc.record({
      server: fc.constantFrom('alpha', 'beta', 'gamma'),
      name: fc.constantFrom('echo', 'beta__echo', 'alpha__echo', 'sum'),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(owner, { selector: (o) => `${o.server}\0${o.name}`, maxLength: 8 }),
        (list) => {
          const shared = list.some((a) => list.some((b) => a !== b && a.name === b.name));
          if (shared) {
            expect(() => names(list, 'none')).toThrow(NameConflictError);
            return;
          }
          const table = names(list, 'none');
          expect(table.size).toBe(list.length);
          for (const item of list) expect(table.get(item.name)).toEqual(item);
        },
      ),
      { seed: 20261125, numRuns: 200 },
    );
  });

  it('property: names are valid, unique, reversible and independent of order', () => {
    const owner = fc.record({
      server: fc.stringMatching(/^[a-z][a-z0-9_.-]{0,20}$/),
      name: fc.string({ minLength: 1, maxLength: 90 }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(owner, { selector: (o) => `${o.server}\0${o.name}`, maxLength: 30 }),
        (list) => {
          for (const policy of ['prefix', 'prefix-on-conflict'] as const) {
            const table = names(list, policy);
            expect(table.size).toBe(list.length);
            for (const [federated, found] of table) {
              expect(federated).toMatch(VALID);
              expect(list).toContainEqual(found);
            }
            const reversed = names([...list].reverse(), policy);
            expect(Object.fromEntries(reversed)).toEqual(Object.fromEntries(table));
          }
        },
      ),
      { seed: 20261125, numRuns: 200 },
    );
  });

  describe('stable names under prefix-on-conflict (bug: a live newcomer renamed echo)', () => {
    const naming = resolveNaming({ policy: 'prefix-on-conflict' });
    const keys = (table: Map<string, NameOwner>) =>
      Object.fromEntries([...table].map(([name, o]) => [name, `${o.server}/${o.name}`]));
    const first = assignFederatedNames([{ server: 'fault', name: 'echo' }], naming);

    it('a name in use stays with its owner; only the newcomer is prefixed', () => {
      const next = assignFederatedNames(
        [
          { server: 'fault', name: 'echo' },
          { server: 'everything', name: 'echo' },
        ],
        naming,
        first,
      );
      expect(keys(next)).toEqual({ echo: 'fault/echo', everything__echo: 'everything/echo' });
      // Without the previous table (a restart), names are computed afresh.
      expect(keys(names([...next.values()], 'prefix-on-conflict'))).toEqual({
        everything__echo: 'everything/echo',
        fault__echo: 'fault/echo',
      });
    });

    it('two newcomers at once are both prefixed; the owner keeps its name', () => {
      const next = assignFederatedNames(
        [
          { server: 'fault', name: 'echo' },
          { server: 'b', name: 'echo' },
          { server: 'a', name: 'echo' },
          { server: 'a', name: 'sum' },
        ],
        naming,
        first,
      );
      expect(keys(next)).toEqual({
        echo: 'fault/echo',
        a__echo: 'a/echo',
        b__echo: 'b/echo',
        sum: 'a/sum',
      });
    });

    it('two newcomers that share a name with no bare holder are both prefixed', () => {
      const next = assignFederatedNames(
        [
          { server: 'fault', name: 'echo' },
          { server: 'a', name: 'get' },
          { server: 'b', name: 'get' },
        ],
        naming,
        first,
      );
      expect(keys(next)).toEqual({ echo: 'fault/echo', a__get: 'a/get', b__get: 'b/get' });
    });

    it('owner removed: the prefixed newcomer keeps its prefix; a returning owner takes the free bare name', () => {
      const both = assignFederatedNames(
        [
          { server: 'fault', name: 'echo' },
          { server: 'everything', name: 'echo' },
        ],
        naming,
        first,
      );
      const alone = assignFederatedNames([{ server: 'everything', name: 'echo' }], naming, both);
      expect(keys(alone)).toEqual({ everything__echo: 'everything/echo' });
      const back = assignFederatedNames(
        [
          { server: 'everything', name: 'echo' },
          { server: 'fault', name: 'echo' },
        ],
        naming,
        alone,
      );
      expect(keys(back)).toEqual({ echo: 'fault/echo', everything__echo: 'everything/echo' });
    });

    it("a server's own prefix still beats a held name (no shadowing)", () => {
      // Server "a" lists a tool named like b's prefixed one, and holds it; then b's x and a
      // newcomer c's x arrive: b__x is b's own, so a's tool gives way (a hash suffix).
      const held = assignFederatedNames([{ server: 'a', name: 'b__x' }], naming);
      const next = assignFederatedNames(
        [
          { server: 'a', name: 'b__x' },
          { server: 'b', name: 'x' },
          { server: 'c', name: 'x' },
        ],
        naming,
        held,
      );
      expect(next.get('b__x')).toEqual({ server: 'b', name: 'x' });
      expect(next.get('c__x')).toEqual({ server: 'c', name: 'x' });
      expect([...next.values()]).toContainEqual({ server: 'a', name: 'b__x' });
    });

    it('property: with a previous table, every held name still listed stays, in any order', () => {
      const owner = fc.record({
        server: fc.constantFrom('a', 'b', 'c', 'd'),
        name: fc.constantFrom('echo', 'sum', 'get', 'x'),
      });
      const list = fc.uniqueArray(owner, { selector: (o) => `${o.server}\0${o.name}` });
      fc.assert(
        fc.property(list, list, (before, after) => {
          const previous = names(before, 'prefix-on-conflict');
          const next = assignFederatedNames(after, naming, previous);
          expect(next.size).toBe(after.length);
          const reversed = assignFederatedNames([...after].reverse(), naming, previous);
          expect(Object.fromEntries(reversed)).toEqual(Object.fromEntries(next));
          for (const [federated, held] of previous) {
            if (after.some((o) => o.server === held.server && o.name === held.name)) {
              expect(next.get(federated)).toEqual(held);
            }
          }
        }),
        { seed: 20261202, numRuns: 300 },
      );
    });
  });

  it('rejects a bad policy or separator with the option named', () => {
    expect(() => resolveNaming({ policy: 'bogus' as never })).toThrow(/naming.policy must be/);
    expect(() => resolveNaming({ separator: '.' })).toThrow(/naming.separator must be/);
  });
});
