// Random series: the series checks never throw, and their findings keep their shape.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check as ambiguous } from '../../../../server/src/checks/ambiguous-symbol';
import { check as dropped } from '../../../../server/src/checks/dropped-function';
import { check as duplicate } from '../../../../server/src/checks/duplicate-function';
import { check as exported } from '../../../../server/src/checks/exported-symbol-dependency';
import { check as incompatible } from '../../../../server/src/checks/incompatible-state';
import { check as inconsistent } from '../../../../server/src/checks/inconsistent-sympos';
import { check as missingReplace } from '../../../../server/src/checks/missing-replace';
import { check as overlapping } from '../../../../server/src/checks/overlapping-function';
import { check as symposNotFound } from '../../../../server/src/checks/sympos-not-found';
import { check as unknown } from '../../../../server/src/checks/unknown-symbol';
import { kernel, livepatch, series, type SeriesStep } from '../../../helpers/builders';

const ALL = [ambiguous, dropped, duplicate, exported, incompatible, inconsistent, missingReplace, overlapping, symposNotFound, unknown];
const k = kernel({ symbols: { vmlinux: ['f', 'g', 'g', 'h.isra.0'], m: ['f'] }, exports: { f: 'm', g: 'vmlinux' } });

const func = fc.record({ name: fc.constantFrom('f', 'g', 'h', 'x'), object: fc.constantFrom('vmlinux', 'm', 'n'), sympos: fc.nat(3) });
const patchSpec = fc.record({
  kind: fc.constantFrom('module' as const, 'diff' as const, 'csv' as const),
  replace: fc.boolean(),
  funcs: fc.array(func, { maxLength: 4 }),
  states: fc.array(fc.record({ id: fc.integer({ min: 1, max: 3 }), version: fc.nat(3) }), { maxLength: 2 }),
  references: fc.array(fc.constantFrom('f', 'g', 'x'), { maxLength: 3 }),
});
const steps = fc.array(fc.oneof(patchSpec, fc.record({ disable: fc.constantFrom('lp0', 'lp1', 'lp2') })), { maxLength: 6 }).map((items) =>
  items.map((item, i): SeriesStep => ('disable' in item ? item : livepatch(`lp${i}`, item))),
);

describe('series checks on random series', () => {
  it('never throw, and each finding has a code, a message and a file of the series', () => {
    fc.assert(
      fc.property(steps, (s) => {
        const ctx = series(s, k);
        const files = new Set(ctx.livepatches.map((lp) => lp.file));
        for (const c of ALL) {
          for (const p of c.run(ctx)) {
            expect(p.code).toBe(c.id);
            expect(p.message.length).toBeGreaterThan(20);
            expect(files.has(p.file)).toBe(true);
          }
        }
      }),
    );
  });

  it('overlapping-function marks both sides, each pointing at the other', () => {
    fc.assert(
      fc.property(steps, (s) => {
        const problems = overlapping.run(series(s, k));
        expect(problems.length % 2).toBe(0);
        for (let i = 0; i < problems.length; i += 2) {
          expect(problems[i].related?.[0].location.file).toBe(problems[i + 1].file);
          expect(problems[i + 1].related?.[0].location.file).toBe(problems[i].file);
        }
      }),
    );
  });
});
