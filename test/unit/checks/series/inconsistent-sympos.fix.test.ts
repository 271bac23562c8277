import { describe, expect, it } from 'vitest';
import { applied, edited, fixture, problemsOf, theFix, theProblem } from '../fixing';
import { SCENARIOS } from '../fixScenarios';

describe('set-sympos (inconsistent-sympos)', () => {
  const aText = fixture('set-sympos', 'cmdline-a.c');
  const bText = fixture('set-sympos', 'cmdline-b.c');

  it('writes the position the other livepatch writes: 0 in place of 1', async () => {
    const scenario = SCENARIOS.inconsistentSymposInB;
    const fix = theFix(await theProblem(scenario, bText), bText);
    expect(fix).toMatchObject({ title: 'Set .old_sympos = 0 (as cmdline_a writes it)', preferred: true });
    const fixed = applied(bText, fix);
    expect(fixed).toBe(edited(bText, '.old_sympos = 1,', '.old_sympos = 0,'));
    expect(await problemsOf(scenario, fixed)).toEqual([]);
  });

  it('adds the member when this livepatch does not write it', async () => {
    // cmdline-a.c loaded after cmdline-b.c: the problem is in cmdline-a.c, which writes nothing.
    const scenario = SCENARIOS.inconsistentSymposInA;
    const fixed = applied(aText, theFix(await theProblem(scenario, aText), aText));
    expect(fixed).toBe(edited(aText, '\t\t.old_name = "cmdline_proc_show",\n', '\t\t.old_name = "cmdline_proc_show",\n\t\t.old_sympos = 1,\n'));
    expect(await problemsOf(scenario, fixed)).toEqual([]);
  });
});
