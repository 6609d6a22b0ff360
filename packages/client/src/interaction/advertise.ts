import { InvalidOptionError } from '@mcpmx/core';

/** Elicitation as advertised: both modes (`true`), or the modes named. */
export type AdvertisedElicitation = boolean | { form?: boolean; url?: boolean };

/** What a server is told the client can do, although no handler of the client answers. */
export interface Advertised {
  elicitation?: AdvertisedElicitation;
  sampling?: boolean;
  roots?: boolean;
}

/**
 * The `advertise` option: fixed, or a function asked each time an upstream session opens (its
 * handshake tells the server what the function returns then), for an owner that learns later
 * what it can answer, as a gateway does from its downstream client.
 */
export type AdvertiseOption = Advertised | (() => Advertised);

const KEYS = ['elicitation', 'sampling', 'roots'];

/** Checks `advertise` at construction; a function's answers are checked when it is asked. */
export function resolveAdvertise(option: unknown): () => Advertised {
  if (option === undefined) return () => ({});
  if (typeof option === 'function') {
    return () => checkAdvertised((option as () => unknown)(), 'advertise()');
  }
  const fixed = checkAdvertised(option, 'advertise');
  return () => fixed;
}

function checkAdvertised(value: unknown, option: string): Advertised {
  if (typeof value !== 'object' || value === null) {
    throw new InvalidOptionError(option, 'an object (or a function returning one)', value);
  }
  for (const [key, flag] of Object.entries(value)) {
    if (!KEYS.includes(key)) {
      throw new InvalidOptionError(`${option}.${key}`, 'one of elicitation, sampling, roots', key);
    }
    if (key === 'elicitation' && typeof flag === 'object' && flag !== null) {
      for (const [mode, on] of Object.entries(flag)) {
        if (!['form', 'url'].includes(mode) || (typeof on !== 'boolean' && on !== undefined)) {
          throw new InvalidOptionError(
            `${option}.elicitation.${mode}`,
            'form or url, a boolean',
            on,
          );
        }
      }
      continue;
    }
    if (typeof flag !== 'boolean' && flag !== undefined) {
      throw new InvalidOptionError(`${option}.${key}`, 'a boolean', flag);
    }
  }
  return value as Advertised;
}

/** Elicitation as the pool takes it: false, both modes, or the modes that are on. */
export function elicitationModes(
  handled: boolean,
  advertised: AdvertisedElicitation | undefined,
): boolean | { form: boolean; url: boolean } {
  if (handled || advertised === true) return true;
  if (typeof advertised !== 'object') return false;
  const modes = { form: advertised.form === true, url: advertised.url === true };
  return modes.form || modes.url ? modes : false;
}
