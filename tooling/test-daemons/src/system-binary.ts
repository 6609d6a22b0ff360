import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Finds a system binary on PATH (and in /usr/sbin and /sbin, where Debian puts daemons).
 * Returns its path, or a skip reason naming the Debian package to install. Under CI
 * (`process.env.CI` set and not "false"/"0") a missing binary throws instead.
 */
export function requireSystemBinary(
  binary: string,
  debianPackage: string,
): { path: string | undefined; skipReason: string | undefined } {
  const directories = [
    ...(process.env.PATH ?? '').split(delimiter).filter(Boolean),
    '/usr/sbin',
    '/sbin',
  ];
  for (const directory of directories) {
    const candidate = join(directory, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return { path: candidate, skipReason: undefined };
    } catch {
      // not here
    }
  }
  const skipReason = `${binary} not found on PATH: install the Debian package ${debianPackage} (apt-get install ${debianPackage})`;
  const ci = process.env.CI;
  if (ci && ci !== 'false' && ci !== '0') {
    throw new Error(`${skipReason}. Under CI a missing system binary is a failure, not a skip.`);
  }
  return { path: undefined, skipReason };
}
