import { describe, expect, it } from 'vitest';
import { applied, appliedAll, edited, fixesFor, fixture, problemsOf, shifted } from '../fixing';
import { SCENARIOS } from '../fixScenarios';

const scenario = SCENARIOS.missingTerminator;
const lpText = fixture('add-terminator', 'lp.c');

describe('add-terminator (missing-terminator)', () => {
  it('adds `{ }` on a line of its own after the last element, with the comma it lacks', async () => {
    const [funcs, single, states] = await problemsOf(scenario, lpText);
    const [fix] = fixesFor(funcs, lpText);
    expect(fix).toMatchObject({ title: 'Add the empty terminator { }', code: 'missing-terminator', preferred: true });
    expect(applied(lpText, fix)).toBe(edited(lpText, '\t\t.new_func = lp_b,\n\t}\n};', '\t\t.new_func = lp_b,\n\t},\n\t{ }\n};'));
    // A single struct given as an array must become an array: no edit does that for the author.
    expect(fixesFor(single, lpText)).toEqual([]);
    // After an element that has its comma already.
    expect(applied(lpText, fixesFor(states, lpText)[0])).toBe(edited(lpText, '\t{ .id = 1, .version = 1, },\n};', '\t{ .id = 1, .version = 1, },\n\t{ }\n};'));
  });

  it('writes `, { }` in a list written on one line', async () => {
    const text = edited(lpText, 'static struct klp_state states[] = {\n\t{ .id = 1, .version = 1, },\n};', 'static struct klp_state states[] = { { .id = 1, .version = 1 } };');
    const states = (await problemsOf(scenario, text)).at(-1)!;
    expect(applied(text, fixesFor(states, text)[0])).toBe(edited(text, '{ { .id = 1, .version = 1 } };', '{ { .id = 1, .version = 1 }, { } };'));
  });

  it('leaves only the single struct to the author once every fix is applied', async () => {
    const problems = await problemsOf(scenario, lpText);
    const fixed = appliedAll(lpText, problems.flatMap((p) => fixesFor(p, lpText)));
    expect((await problemsOf(scenario, fixed)).map((p) => p.message)).toEqual([expect.stringMatching(/^`mod_func` is a single struct klp_func/)]);
  });

  it('gives no fix once the text has changed under the problem', async () => {
    const [funcs] = await problemsOf(scenario, lpText);
    expect(fixesFor(funcs, shifted(lpText))).toEqual([]);
  });
});
