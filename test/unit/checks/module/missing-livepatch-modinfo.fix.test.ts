import { describe, expect, it } from 'vitest';
import { applied, edited, fixesFor, fixture, problemsOf, theFix, theProblem } from '../fixing';
import { SCENARIOS } from '../fixScenarios';

const scenario = SCENARIOS.missingLivepatchModinfo;
const lpText = fixture('add-livepatch-modinfo', 'lp.c');

async function fixed(text: string): Promise<string> {
  const fix = theFix(await theProblem(scenario, text), text);
  expect(fix).toMatchObject({ title: 'Add MODULE_INFO(livepatch, "Y")', code: 'missing-livepatch-modinfo', preferred: true });
  const result = applied(text, fix);
  expect(await problemsOf(scenario, result)).toEqual([]);
  return result;
}

describe('add-livepatch-modinfo (missing-livepatch-modinfo)', () => {
  it('adds the line after the last MODULE_* line, leaving that line\'s comment where it is', async () => {
    expect(await fixed(lpText)).toBe(
      edited(lpText, 'MODULE_AUTHOR("klp-lens tests"); /* any author */\n', 'MODULE_AUTHOR("klp-lens tests"); /* any author */\nMODULE_INFO(livepatch, "Y");\n'),
    );
  });

  it('adds it as the last line of a file without MODULE_* lines', async () => {
    const text = edited(lpText, 'MODULE_LICENSE("GPL");\nMODULE_AUTHOR("klp-lens tests"); /* any author */\n', '');
    expect(await fixed(text)).toBe(`${text}MODULE_INFO(livepatch, "Y");\n`);
  });

  it('gives no fix once the mark is there, or the place no longer follows a MODULE_* line', async () => {
    const problem = await theProblem(scenario, lpText);
    expect(fixesFor(problem, `${lpText}MODULE_INFO(livepatch, "Y");\n`)).toEqual([]);
    expect(fixesFor(problem, edited(lpText, 'MODULE_AUTHOR("klp-lens tests");', 'MODULE_AUTHOR("klp-lens")  ;'))).toEqual([]);
  });
});
