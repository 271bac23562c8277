import { describe, expect, it } from 'vitest';
import { applied, edited, fixesFor, fixture, problemsOf, shifted, theFix, theProblem } from '../fixing';
import { SCENARIOS } from '../fixScenarios';

const lpbText = fixture('add-replace', 'lpb.c');
/** lpa loaded, then lpb: lpb patches everything lpa patches. */
const scenario = SCENARIOS.missingReplace;

/** The fix of lpb's problem applied to `text`, which the check runs on again. */
async function fixed(text: string): Promise<string> {
  const fix = theFix(await theProblem(scenario, text), text);
  expect(fix).toMatchObject({ title: 'Set .replace = true', code: 'missing-replace', file: 'lpb.c', preferred: true });
  const result = applied(text, fix);
  expect(await problemsOf(scenario, result)).toEqual([]);
  return result;
}

describe('add-replace (missing-replace)', () => {
  it('adds `.replace = true,` after the last member of the klp_patch initializer, indented like the others', async () => {
    expect(await fixed(lpbText)).toBe(
      edited(lpbText, '\t.objs = objs,\n};', '\t.objs = objs,\n\t.replace = true,\n};'),
    );
  });

  it('adds the comma the last member lacks', async () => {
    const text = edited(lpbText, '\t.objs = objs,\n};', '\t.objs = objs\n};');
    expect(await fixed(text)).toBe(edited(lpbText, '\t.objs = objs,\n};', '\t.objs = objs,\n\t.replace = true,\n};'));
  });

  it('adds it after a member under #ifdef, outside the #ifdef', async () => {
    const text = edited(lpbText, '\t.objs = objs,\n};', '\t.objs = objs,\n#ifdef CONFIG_X\n\t.states = NULL,\n#endif\n};');
    expect(await fixed(text)).toBe(edited(text, '#endif\n};', '#endif\n\t.replace = true,\n};'));
  });

  it('writes it inline in an initializer written on one line', async () => {
    const text = edited(lpbText, '{\n\t.mod = THIS_MODULE,\n\t.objs = objs,\n};', '{ .mod = THIS_MODULE, .objs = objs };');
    expect(await fixed(text)).toBe(edited(text, '.objs = objs };', '.objs = objs, .replace = true };'));
  });

  it('turns `.replace = false` and `.replace = 0` into true', async () => {
    for (const value of ['false', '0']) {
      const text = edited(lpbText, '\t.objs = objs,\n};', `\t.objs = objs,\n\t.replace = ${value},\n};`);
      expect(await fixed(text)).toBe(edited(text, `.replace = ${value},`, '.replace = true,'));
    }
  });

  it('turns an assignment in module_init into true', async () => {
    const text = edited(lpbText, '\treturn klp_enable_patch(&patch);', '\tpatch.replace = false;\n\treturn klp_enable_patch(&patch);');
    expect(await fixed(text)).toBe(edited(text, 'patch.replace = false;', 'patch.replace = true;'));
  });

  it('writes the line breaks the file uses', async () => {
    const crlf = lpbText.replace(/\n/g, '\r\n');
    expect(await fixed(crlf)).toBe(edited(crlf, '\t.objs = objs,\r\n};', '\t.objs = objs,\r\n\t.replace = true,\r\n};'));
  });

  it('leaves a value that comes from a module parameter to the author', async () => {
    const text = edited(
      lpbText,
      '\t.objs = objs,\n};',
      '\t.objs = objs,\n\t.replace = replace,\n};\n\nstatic bool replace;\nmodule_param(replace, bool, 0644);',
    );
    expect(fixesFor(await theProblem(scenario, text), text)).toEqual([]);
  });

  it('gives no fix once the text has changed under the problem', async () => {
    const problem = await theProblem(scenario, lpbText);
    expect(fixesFor(problem, shifted(lpbText))).toEqual([]);
    expect(fixesFor(problem, edited(lpbText, '\t.mod = THIS_MODULE,', '\t.mod = THIS_MODULE, .replace = true,'))).toEqual([]);
  });

  it('gives no fix for a patch diff (the series turns replace off there)', async () => {
    const problem = await theProblem(scenario, lpbText);
    expect(fixesFor({ ...problem, file: 'lpb.patch' }, lpbText)).toEqual([]);
  });
});
