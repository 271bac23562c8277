import { describe, expect, it } from 'vitest';
import { applied, edited, fixesFor, fixture, problemsOf, shifted, theProblem } from '../fixing';
import { SCENARIOS } from '../fixScenarios';

// The kernel has three type_show: at ffffffff81039ea0, ffffffff8150b2c0 and ffffffff81a07d10.
const lpText = fixture('set-sympos', 'lp.c');

describe('set-sympos (ambiguous-symbol)', () => {
  const scenario = SCENARIOS.ambiguousSymbol;

  it('offers each occurrence, with its address, and adds `.old_sympos = N,` after the .old_name line', async () => {
    const problem = await theProblem(scenario, lpText);
    const fixes = fixesFor(problem, lpText);
    expect(fixes.map((f) => [f.title, f.preferred ?? false])).toEqual([
      ['Set .old_sympos = 1 (ffffffff81039ea0)', false],
      ['Set .old_sympos = 2 (ffffffff8150b2c0)', false],
      ['Set .old_sympos = 3 (ffffffff81a07d10)', false],
    ]);
    const fixed = applied(lpText, fixes[1]);
    expect(fixed).toBe(edited(lpText, '\t\t.old_name = "type_show",\n', '\t\t.old_name = "type_show",\n\t\t.old_sympos = 2,\n'));
    expect(await problemsOf(scenario, fixed)).toEqual([]);
  });

  it('writes it inline in a klp_func written on one line', async () => {
    const text = edited(lpText, '\t{\n\t\t.old_name = "type_show",\n\t\t.new_func = livepatch_type_show,\n\t},', '\t{ .old_name = "type_show", .new_func = livepatch_type_show },');
    const fixed = applied(text, fixesFor(await theProblem(scenario, text), text)[2]);
    expect(fixed).toBe(edited(text, '{ .old_name = "type_show", .new_func', '{ .old_name = "type_show", .old_sympos = 3, .new_func'));
    expect(await problemsOf(scenario, fixed)).toEqual([]);
  });

  it('replaces an old_sympos 0 that is written', async () => {
    const text = edited(lpText, '\t\t.new_func = livepatch_type_show,\n', '\t\t.new_func = livepatch_type_show,\n\t\t.old_sympos = 0,\n');
    const fixed = applied(text, fixesFor(await theProblem(scenario, text), text)[0]);
    expect(fixed).toBe(edited(text, '.old_sympos = 0,', '.old_sympos = 1,'));
    expect(await problemsOf(scenario, fixed)).toEqual([]);
  });

  it('gives no fix for a positional klp_func (no member to add after), or once the name has changed', async () => {
    const positional = edited(lpText, '\t{\n\t\t.old_name = "type_show",\n\t\t.new_func = livepatch_type_show,\n\t},', '\t{ "type_show", livepatch_type_show },');
    expect(fixesFor(await theProblem(scenario, positional), positional)).toEqual([]);
    const problem = await theProblem(scenario, lpText);
    expect(fixesFor(problem, edited(lpText, '"type_show"', '"type_store"'))).toEqual([]);
    expect(fixesFor(problem, shifted(lpText))).toEqual([]);
  });
});
