/**
 * `npm run chaos [-- --short] [--only sqlite-sigkill,held-lock] [--seed N] [--database-url URL]`: the fault
 * drills of issue 20 against the built package. See docs/service.md, "Chaos drills".
 */
import { ChaosUsageError, parseChaosArguments, runChaos } from './cli.js';

try {
  const options = parseChaosArguments(process.argv.slice(2));
  if ('help' in options) {
    process.stdout.write(options.help);
  } else {
    process.exitCode = await runChaos(options);
  }
} catch (error) {
  if (!(error instanceof ChaosUsageError)) throw error;
  console.error(`chaos: ${error.message}`);
  process.exitCode = 2;
}
