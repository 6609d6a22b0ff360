import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Stored {
  payload: AdapterPayload;
  expiresAt: number | undefined;
}

/**
 * oidc-provider's storage, in memory, one map per model, so a test can see and drop what the
 * authorization server holds (revokeAll). Expiry is checked on read against Date.now(), as the
 * provider's own memory adapter does; nothing here runs on a timer.
 */
export class MemoryStorage {
  readonly #models = new Map<string, Map<string, Stored>>();

  /** `transform` rewrites what is stored (a policy of the test server). */
  adapterFor(model: string, transform?: (payload: AdapterPayload) => AdapterPayload): Adapter {
    const entries = this.#entries(model);
    const live = (id: string): Stored | undefined => {
      const stored = entries.get(id);
      if (stored?.expiresAt !== undefined && stored.expiresAt <= Date.now()) {
        entries.delete(id);
        return undefined;
      }
      return stored;
    };
    const findWhere = (field: 'uid' | 'userCode', value: string) => {
      for (const [id, stored] of entries) {
        if (stored.payload[field] === value) return live(id)?.payload;
      }
      return undefined;
    };
    return {
      upsert: async (id, payload, expiresIn) => {
        entries.set(id, {
          payload: transform ? transform(payload) : payload,
          expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined,
        });
      },
      find: async (id) => live(id)?.payload,
      findByUid: async (uid) => findWhere('uid', uid),
      findByUserCode: async (userCode) => findWhere('userCode', userCode),
      consume: async (id) => {
        const stored = live(id);
        if (stored) stored.payload.consumed = Math.floor(Date.now() / 1000);
      },
      destroy: async (id) => {
        entries.delete(id);
      },
      revokeByGrantId: async (grantId) => {
        for (const [id, stored] of entries) {
          if (stored.payload.grantId === grantId) entries.delete(id);
        }
      },
    };
  }

  /** Drops every stored item of one model (for example 'RefreshToken'); returns how many. */
  revokeAll(model: string): number {
    const entries = this.#entries(model);
    const count = entries.size;
    entries.clear();
    return count;
  }

  #entries(model: string): Map<string, Stored> {
    let entries = this.#models.get(model);
    if (!entries) {
      entries = new Map();
      this.#models.set(model, entries);
    }
    return entries;
  }
}
