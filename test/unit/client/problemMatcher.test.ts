// The klp-lens problem matcher (package.json problemMatchers), with which the "Build module" task
// (client/src/buildTask.ts) reads `klp-lens build`: its pattern, run over the text the command
// prints (cli/formatCheck.ts formatCheckText, which build prints its findings with too), finds
// every finding the JSON form of the same run lists, and nothing else.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../../../package.json';
import { PROBLEM_MATCHER } from '../../../client/src/ids';
import type { JsonDiagnostic } from '../../../server/src/cli/formatCheck';
import { klpLens } from '../../helpers/cli';
import { fixturePath } from '../../helpers/fixtures';

const [matcher] = pkg.contributes.problemMatchers;
const EXAMPLES = path.resolve(__dirname, '../../../examples');

/** What VS Code's matcher takes from each line of `text` that its pattern matches. */
function matched(text: string): Array<Omit<JsonDiagnostic, 'endLine' | 'endColumn'>> {
  const { regexp, file, line, column, severity, message, code } = matcher.pattern;
  return text.split('\n').flatMap((l) => {
    const m = new RegExp(regexp).exec(l);
    return m ? [{ file: m[file], line: Number(m[line]), column: Number(m[column]), severity: m[severity] as JsonDiagnostic['severity'], code: m[code], message: m[message] }] : [];
  });
}

const CHECKS = fixturePath('checks');

describe('the klp-lens problem matcher', () => {
  it.each([
    ['the examples (warnings, with related locations)', EXAMPLES, path.join(EXAMPLES, 'kernel')],
    ['unexported-symbol (errors, as modpost reports in a build)', path.join(CHECKS, 'unexported-symbol'), path.join(CHECKS, 'unexported-symbol', 'kernel')],
    ['unknown-object (errors and a warning)', path.join(CHECKS, 'unknown-object'), path.join(CHECKS, 'unknown-object', 'kernel')],
  ])('reads every finding of klp-lens check on %s, and nothing else', async (_, folder, kernel) => {
    const text = (await klpLens('check', '--kernel', kernel, folder)).stdout;
    const { diagnostics } = JSON.parse((await klpLens('check', '--format', 'json', '--kernel', kernel, folder)).stdout) as { diagnostics: JsonDiagnostic[] };
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(matched(text)).toEqual(diagnostics.map(({ endLine, endColumn, ...rest }) => rest));
  });

  it('is the one the task names; severities VS Code has no word for (information, hint) take its default, info', () => {
    expect(matcher.name).toBe(PROBLEM_MATCHER);
    expect(matcher.severity).toBe('info');
    expect(matched('/ws/lp.c:3:4: hint: a hint [some-check]')).toEqual([{ file: '/ws/lp.c', line: 3, column: 4, severity: 'hint', code: 'some-check', message: 'a hint' }]);
  });
});
