// `npm run oracle [-- --seed S --count N --only NAME --generated-only --json FILE]`: a real
// Debian kernel under qemu judges the simulator. Exit 0 when every compared step agrees,
// 1 on any mismatch, 2 when the oracle itself cannot run (one-line reason on stderr).
import { writeFileSync } from 'node:fs';
import { errorMessage } from '../../server/src/common/problem';
import { ToolError } from '../../tools/src/toolError';
import { parseArgs, USAGE } from './args';
import { runOracle } from './oracle';
import { formatReport, totals } from './report';

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2));
  if (typeof parsed === 'string') {
    process.stderr.write(`oracle: ${parsed}\n${USAGE}\n`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  try {
    const report = await runOracle({ ...parsed, log: (line) => process.stderr.write(`oracle: ${line}\n`) });
    if (parsed.json) writeFileSync(parsed.json, JSON.stringify(report, null, 1));
    process.stdout.write(formatReport(report));
    const t = totals(report);
    return t.failedScenarios === 0 && t.compared > 0 ? 0 : 1;
  } catch (err) {
    process.stderr.write(`oracle: ${err instanceof ToolError ? err.message : `internal error: ${errorMessage(err)}`}\n`);
    return 2;
  }
}

main().then((code) => process.exit(code));
