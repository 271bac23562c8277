// The command line of `npm run oracle`.
import type { OracleOptions } from './oracle';

export const USAGE = 'usage: npm run oracle -- [--kernel LINE] [--seed S] [--count N] [--only NAME]... [--generated-only] [--json FILE]';

export type OracleArgs = Omit<OracleOptions, 'log'> & { json?: string; help?: boolean };

/** The options, or the reason the arguments are wrong. Defaults: the CI tier (seed 1, 50 generated). */
export function parseArgs(argv: string[]): OracleArgs | string {
  const options: OracleArgs = { seed: 1, count: 50, only: [], generatedOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i] ?? '';
    if (arg === '--seed' || arg === '--count') {
      const text = value();
      const n = Number(text);
      if (text === '' || !Number.isSafeInteger(n) || n < 0) return `${arg} needs a non-negative integer`;
      if (arg === '--seed') options.seed = n;
      else options.count = n;
    } else if (arg === '--only') {
      const name = value();
      if (!name) return '--only needs a scenario name';
      options.only.push(name);
    } else if (arg === '--kernel') {
      const line = value();
      if (!/^\d+\.\d+$/.test(line)) return '--kernel needs a kernel line such as 6.1 or 6.12';
      // Debian 12's own line is linux-image-amd64's, with the selftests of ../shared.
      if (line !== '6.1') options.kernel = line;
    } else if (arg === '--generated-only') options.generatedOnly = true;
    else if (arg === '--json') {
      options.json = value();
      if (!options.json) return '--json needs a file';
    } else if (arg === '--help' || arg === '-h') options.help = true;
    else return `unknown argument ${arg}`;
  }
  return options;
}
