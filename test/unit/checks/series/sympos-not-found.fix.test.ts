import { describe, expect, it } from 'vitest';
import { applied, edited, fixesFor, fixture, problemsOf, theProblem } from '../fixing';
import { SCENARIOS } from '../fixScenarios';

// The kernel has three type_show: at ffffffff81039ea0, ffffffff8150b2c0 and ffffffff81a07d10.
const lpText = fixture('set-sympos', 'lp.c');

describe('set-sympos (sympos-not-found)', () => {
  const scenario = SCENARIOS.symposNotFound;
  const text = edited(lpText, '\t\t.new_func = livepatch_type_show,\n', '\t\t.new_func = livepatch_type_show,\n\t\t.old_sympos = 4,\n');

  it('offers the positions that exist, replacing the one written', async () => {
    const fixes = fixesFor(await theProblem(scenario, text), text);
    expect(fixes.map((f) => f.title)).toEqual([
      'Set .old_sympos = 1 (ffffffff81039ea0)',
      'Set .old_sympos = 2 (ffffffff8150b2c0)',
      'Set .old_sympos = 3 (ffffffff81a07d10)',
    ]);
    const fixed = applied(text, fixes[2]);
    expect(fixed).toBe(edited(text, '.old_sympos = 4,', '.old_sympos = 3,'));
    expect(await problemsOf(scenario, fixed)).toEqual([]);
  });

  it('gives no fix once the value has changed', async () => {
    const problem = await theProblem(scenario, text);
    expect(fixesFor(problem, edited(text, '.old_sympos = 4,', '.old_sympos = 2,'))).toEqual([]);
  });
});
