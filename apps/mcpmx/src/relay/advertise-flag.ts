import type { Advertised } from '@mcpmx/client';
import { InvalidArgumentError } from 'commander';

type Advertise = Advertised;
const CAPABILITIES = ['elicitation', 'sampling', 'roots'] as const;

/** `--advertise elicitation,sampling,roots` (any of them): what upstream servers are told. */
export function parseAdvertise(value: string): Advertise {
  const advertise: Advertise = {};
  for (const name of value.split(',').map((part) => part.trim())) {
    if (name === '') continue;
    if (!(CAPABILITIES as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(
        `expected a comma-separated list of ${CAPABILITIES.join(', ')}, got "${name}"`,
      );
    }
    advertise[name as (typeof CAPABILITIES)[number]] = true;
  }
  return advertise;
}
