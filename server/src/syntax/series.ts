// A quilt-style series file: one livepatch per line, in load order, with
// per-line options, and action lines that disable or unload a livepatch or
// load or unload a target module between two loads.
import { problem, type Problem } from '../common/problem';
import { location, makeRange, type Location } from '../common/range';
import { textLines, tokensOf, type Token } from './lineTokens';
import type { Series, SeriesEntry, SeriesPatchOptions } from './seriesTypes';

type Action = Extract<SeriesEntry, { kind: 'action' }>['action'];

/** Each action and what its one argument names. */
const ACTIONS: Record<Action, string> = {
  disable: 'a livepatch name',
  unload: 'a livepatch name',
  'load-module': 'a module name',
  'unload-module': 'a module name',
};

// -R / --non-replace: kpatch-build; --no-replace: upstream klp-build (scripts/livepatch/klp-build).
const NO_REPLACE = new Set(['-R', '--non-replace', '--no-replace']);
// quilt's strip level (-p0, -p1, -pab): meaningful to quilt only.
const QUILT_STRIP = /^-p(\d+|ab)$/;
const NAME = 'name=';

/** A comment starts with '#' at the start of a line or after a blank. */
function withoutComment(line: string): string {
  const at = line.search(/(^|[ \t])#/);
  return at < 0 ? line : line.slice(0, at);
}

function isAction(word: string): word is Action {
  return Object.prototype.hasOwnProperty.call(ACTIONS, word);
}

export function parseSeries(text: string, file: string): Series {
  const entries: SeriesEntry[] = [];
  const problems: Problem[] = [];
  textLines(text).forEach((line, lineNo) => {
    const words = tokensOf(withoutComment(line));
    if (words.length === 0) return;
    const at = (first: Token, last: Token = first): Location =>
      location(file, makeRange(lineNo, first.start, lineNo, last.end));
    const lineProblems: Problem[] = [];
    const fail = (where: Location, message: string) => lineProblems.push(problem('parse-error', 'error', where, message));
    const [head, ...args] = words;

    if (isAction(head.text)) {
      if (args.length === 0) fail(at(head), `'${head.text}' needs ${ACTIONS[head.text]}`);
      else if (args.length > 1) fail(at(args[1], args[args.length - 1]), `'${head.text}' takes one argument`);
      else entries.push({ kind: 'action', action: head.text, target: args[0].text, location: at(head, args[0]) });
      problems.push(...lineProblems);
      return;
    }

    if (head.text.startsWith('-') || head.text.startsWith(NAME)) {
      fail(at(head), `a series line starts with the livepatch's path, not an option ('${head.text}')`);
    }
    const options: SeriesPatchOptions = { noReplace: false };
    for (const arg of args) {
      if (NO_REPLACE.has(arg.text)) options.noReplace = true;
      else if (QUILT_STRIP.test(arg.text)) continue;
      else if (arg.text === '-p') fail(at(arg), "'-p' needs a strip level (e.g. -p1)");
      else if (arg.text === NAME) fail(at(arg), "'name=' needs a module name");
      else if (arg.text.startsWith(NAME)) options.name = arg.text.slice(NAME.length);
      else if (arg.text.startsWith('-')) fail(at(arg), `unknown option '${arg.text}'`);
      else fail(at(arg), `unexpected argument '${arg.text}' (options are -R, --non-replace, --no-replace, name=<module>, -p<n>)`);
    }
    if (lineProblems.length === 0) {
      entries.push({ kind: 'patch', path: head.text, options, location: at(head, words[words.length - 1]) });
    }
    problems.push(...lineProblems);
  });
  return { file, entries, problems };
}
