// The soak's run, in the child process that runSoakProcess watches: runs runSoak with the
// options in argv[2] (JSON), sends the report to the parent and then must exit by itself.
import { runSoak, type SoakOptions } from './run-soak.js';
import { reportErrorToParent, reportToParent } from './watched-child.js';

const { verbose, ...options } = JSON.parse(process.argv[2] ?? '{}') as Omit<SoakOptions, 'log'> & {
  verbose?: boolean;
};
try {
  const report = await runSoak({
    ...options,
    log: verbose ? (line) => console.log(`  ${line}`) : undefined,
  });
  reportToParent(report);
} catch (error) {
  reportErrorToParent(error);
  process.exitCode = 1;
}
