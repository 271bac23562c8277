// The oracle's CI tier: real Debian kernels (6.1 and 6.12) under qemu judge the simulator on the kernel's
// livepatch selftests, 50 generated scenarios, the symbol-position scenarios, the
// exported-symbol dependency, and the klp symbols klp-lens declares, builds and converts. It
// installs packages with apt, downloads the kernel and boots it, so it runs only when
// KLP_ORACLE=1 (npm run oracle runs the same tier by hand).
import { describe, expect, it } from 'vitest';
import { HAS_SHARED } from '../helpers/shared';
import { runOracle } from '../../oracle/src/oracle';
import { formatReport, passed, totals } from '../../oracle/src/report';

const ENABLED = process.env.KLP_ORACLE === '1';
const SKIP_REASON = 'skipped: set KLP_ORACLE=1 to boot a real kernel under qemu (apt, a 70 MB download, a few minutes)';

if (!ENABLED) console.warn(`[klp-lens tests] the oracle is ${SKIP_REASON}`);

describe(`the oracle (real kernel under qemu)${ENABLED ? '' : ` — ${SKIP_REASON}`}`, () => {
  // Debian 12's own 6.1, then the 6.12 line (its headers and source package fetched too): the rules where they differ (kernel/capabilities.ts) judged on both.
  it.skipIf(!ENABLED).each([
    ['Debian 12 (6.1)', undefined, 18],
    // Its "atomic replace livepatch" test loads test_klp_syscall too (its syscall named per architecture).
    ['Debian 6.12', '6.12', 18],
  ])(
    'agrees with the kernel at every compared step of the CI tier: %s',
    async (_, kernel, selftests) => {
      const report = await runOracle({ seed: 1, count: 50, only: [], generatedOnly: false, ...(kernel && { kernel }), log: (l) => console.log(`oracle: ${l}`) });
      const text = formatReport(report);
      console.log(text);
      const kinds = (kind: string) => report.outcomes.filter((o) => o.scenario.kind === kind);
      expect(kinds('generated')).toHaveLength(50);
      expect(kinds('sympos').length).toBeGreaterThan(0);
      expect(kinds('exported')).toHaveLength(1);
      expect(kinds('klp-symbol')).toHaveLength(1);
      if (HAS_SHARED || kernel) expect(kinds('selftest').length).toBeGreaterThanOrEqual(selftests);
      const failed = report.outcomes.filter((o) => !passed(o)).map((o) => o.scenario.name);
      expect(failed, text).toEqual([]);
      const t = totals(report);
      expect(t.agreed).toBe(t.compared);
      expect(t.compared).toBeGreaterThan(500);
    },
    60 * 60_000,
  );
});
