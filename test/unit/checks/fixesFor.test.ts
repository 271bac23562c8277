// fixesFor on anything: never a throw, and every edit offered lies in the text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixesFor as registryFixesFor } from '../../../server/src/checks/index';
import type { Problem } from '../../../server/src/common/problem';
import type { Fix } from '../../../server/src/edits/fix';
import { SourceText } from '../../../server/src/edits/sourceText';
import { applyEdits } from '../../../server/src/edits/textEdits';
import { count, cText, cuts, mutate, position, range } from '../edits/arbitraries';
import { problemsOf } from './fixing';
import { SCENARIO_TEXTS } from './fixScenarios';

/** A fix that throws on these inputs is reported, not thrown: the property is that fixesFor never throws. */
const fixesFor = (p: Problem, t: string): Fix[] => registryFixesFor(p, t, () => undefined);

const CODES = [
  'missing-replace', 'ambiguous-symbol', 'sympos-not-found', 'inconsistent-sympos', 'missing-livepatch-modinfo',
  'missing-terminator', 'object-named-vmlinux', 'unknown-object', 'exported-symbol-dependency', 'unknown-symbol', 'line-shift', 'toString', '__proto__',
];

const text = cText(SCENARIO_TEXTS.map(([, t]) => t));

/** Data shaped like the checks', with every field optional and of any type now and then. */
const data: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything(),
  fc.record(
    {
      fix: fc.constant('add-replace'),
      candidates: fc.oneof(fc.array(fc.record({ sympos: count, address: fc.oneof(fc.string(), fc.anything()) })), fc.anything()),
      oldSympos: fc.oneof(fc.record({ range, value: count }), fc.anything()),
      sympos: fc.oneof(count, fc.anything()),
      name: fc.oneof(fc.constantFrom('type_show', 'cmdline_proc_show'), fc.string()),
      other: fc.string(),
      insertAt: fc.oneof(position, fc.anything()),
      insertText: fc.constantFrom(', { }', '{ }', '\nMODULE_INFO(livepatch, "Y");', ''),
      replacement: fc.constant('NULL'),
      hasNullObject: fc.boolean(),
      object: fc.oneof(fc.constantFrom('cdrom', 'vmlinux', 'sr_mode', 'nf-tables'), fc.string(), fc.anything()),
      suggestion: fc.oneof(fc.constantFrom('NULL', 'sr_mod', 'nf_tables'), fc.string()),
      symbol: fc.oneof(fc.constantFrom('cdrom_check_events', 'cdrom_open'), fc.string()),
      relocationObject: fc.oneof(fc.constantFrom('cdrom', 'vmlinux', 'sr_mod'), fc.constant(null), fc.string()),
    },
    { requiredKeys: [] },
  ),
);

/** Mostly the check's own data; now and then data of another shape. */
const otherData = fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: data as fc.Arbitrary<Record<string, unknown>>, weight: 1 });

const problem: fc.Arbitrary<Problem> = fc.record({
  file: fc.oneof(fc.constantFrom('lp.c', 'dir/lp_two.c', 'fix.patch', 'patched_funcs.csv'), fc.string()),
  range,
  severity: fc.constantFrom('error', 'warning', 'information', 'hint'),
  code: fc.constantFrom(...CODES),
  message: fc.string(),
  data: data as fc.Arbitrary<Record<string, unknown>>,
});

function expectValidEdits(fixes: Fix[], source: string): void {
  const lines = new SourceText(source);
  for (const fix of fixes) {
    for (const { range: r } of fix.edits) {
      const start = lines.offsetAt(r.start);
      const end = lines.offsetAt(r.end);
      expect(start !== undefined && end !== undefined && start <= end).toBe(true);
    }
  }
}

describe('fixesFor', () => {
  it('never throws on random problems and texts, and offers only edits inside the text', () => {
    fc.assert(
      fc.property(problem, text, (p, t) => {
        const fixes = fixesFor(p, t);
        expectValidEdits(fixes, t);
        for (const fix of fixes) applyEdits(t, fix.edits);
      }),
      { numRuns: 3000 },
    );
  });

  it('on the real problems of the fixtures, with their texts mutated, never throws and offers only edits inside the text', async () => {
    const real = (await Promise.all(SCENARIO_TEXTS.map(async ([scenario, t]) => (await problemsOf(scenario, t)).map((p) => [p, t] as const)))).flat();
    let offered = 0;
    fc.assert(
      fc.property(fc.constantFrom(...real), cuts, otherData, ([p, original], edits, swapped) => {
        const t = mutate(original, edits);
        const fixes = fixesFor(swapped === null ? p : { ...p, data: swapped }, t);
        expectValidEdits(fixes, t);
        if (fixes.length > 0) offered++;
      }),
      { numRuns: 2000 },
    );
    // Most mutations land away from the problem: the fixes' own paths were run, not only their refusals.
    expect(offered).toBeGreaterThan(500);
  });

  it('never throws on values that are not problems at all', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (p, t) => {
        expect(Array.isArray(fixesFor(p as Problem, t as string))).toBe(true);
      }),
    );
  });
});
