// Property tests run on a fixed seed, so CI is repeatable: every fast-check run in a package
// that uses it starts from FUZZ_SEED (default below). A failure prints its seed and path;
// `FUZZ_SEED=<n> pnpm test` reruns it, another seed searches further. A test that passes its own
// `seed` keeps it.
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The package under test's own fast-check (its ES module: the instance its tests import). */
function fastCheckOfPackage() {
  try {
    const require = createRequire(join(process.cwd(), 'package.json'));
    const manifest = realpathSync(require.resolve('fast-check/package.json'));
    return pathToFileURL(join(dirname(manifest), 'lib', 'fast-check.js')).href;
  } catch {
    return undefined; // no property tests here: fast-check is not installed for this package
  }
}

const url = fastCheckOfPackage();
if (url) {
  const fc = await import(url);
  fc.configureGlobal({
    ...fc.readConfigureGlobal(),
    seed: Number(process.env.FUZZ_SEED ?? 20261203),
  });
}
