// The command line of `npm run oracle` (oracle/src/args.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../oracle/src/args';

describe('parseArgs', () => {
  it('defaults to the CI tier', () => {
    expect(parseArgs([])).toEqual({ seed: 1, count: 50, only: [], generatedOnly: false });
  });

  it('reads a replay of generated scenarios and named scenarios', () => {
    expect(parseArgs(['--seed', '42', '--count', '1'])).toMatchObject({ seed: 42, count: 1 });
    expect(parseArgs(['--only', 'a', '--only', 'b', '--generated-only', '--json', 'r.json'])).toMatchObject({
      only: ['a', 'b'],
      generatedOnly: true,
      json: 'r.json',
    });
  });

  it('boots another Debian kernel line with --kernel (6.1, Debian 12 own, is the default)', () => {
    expect(parseArgs(['--kernel', '6.12', '--seed', '3', '--count', '500'])).toMatchObject({ kernel: '6.12', seed: 3, count: 500 });
    expect(parseArgs(['--kernel', '6.1'])).toEqual({ seed: 1, count: 50, only: [], generatedOnly: false });
    expect(parseArgs(['--kernel', 'latest'])).toMatch(/kernel line such as 6\.1 or 6\.12/);
  });

  it('says what is wrong instead of guessing', () => {
    expect(parseArgs(['--seed', '-1'])).toMatch(/non-negative integer/);
    expect(parseArgs(['--count'])).toMatch(/non-negative integer/);
    expect(parseArgs(['--only'])).toMatch(/scenario name/);
    expect(parseArgs(['--frobnicate'])).toBe('unknown argument --frobnicate');
  });

  it('never throws', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom('--seed', '--count', '--only', '--json'))), (argv) => void parseArgs(argv)));
  });
});
