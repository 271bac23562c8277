// SUSE's patched_funcs.csv (kernel-livepatch, scripts/register-patches.sh):
// one line per patched function, `obj old_func[,sympos] new_func [cond]`,
// fields separated by blanks (the script reads each line with
// `read _o oldfun newfun cond`, so cond is the rest of the line, blanks
// included). obj is 'vmlinux' or the object's name as klp_object.name gets it;
// sympos becomes .old_sympos; cond is a cpp `#if` condition guarding the entry.
import { problem, type Problem } from '../common/problem';
import { location, makeRange, type Location } from '../common/range';
import { textLines, tokensOf, type Token } from './lineTokens';

export interface PatchedFuncsRow {
  /** The obj column as written ('vmlinux' or the object's name). */
  object: string;
  /** old_func without its ',sympos'. */
  oldFunc: string;
  /** 0 when the row gives none. */
  sympos: number;
  newFunc: string;
  /** The cpp condition, internal blanks kept. */
  condition?: string;
  /** The row from its first to its last character. */
  location: Location;
  objectLocation: Location;
  oldFuncLocation: Location;
  symposLocation?: Location;
  newFuncLocation: Location;
  conditionLocation?: Location;
}

export interface PatchedFuncsCsv {
  file: string;
  rows: PatchedFuncsRow[];
  problems: Problem[];
}

// The script pastes sympos into C (`.old_sympos = N`): a decimal or hex literal.
const SYMPOS = /^(0|[1-9][0-9]*|0[xX][0-9a-fA-F]+)$/;

/**
 * Blank lines are skipped, as the script does. A line whose first word starts
 * with '#' is taken as a comment (the script would not; no SUSE file has one).
 * A malformed line is a 'parse-error' and is skipped; the others still count.
 */
export function parsePatchedFuncsCsv(text: string, file: string): PatchedFuncsCsv {
  const rows: PatchedFuncsRow[] = [];
  const problems: Problem[] = [];
  textLines(text).forEach((line, lineNo) => {
    const words = tokensOf(line);
    if (words.length === 0 || words[0].text.startsWith('#')) return;
    const span = (start: number, end: number): Location => location(file, makeRange(lineNo, start, lineNo, end));
    const at = (first: Token, last: Token = first) => span(first.start, last.end);
    const fail = (where: Location, message: string) => problems.push(problem('parse-error', 'error', where, message));
    const [obj, old, repl, ...cond] = words;
    const last = words[words.length - 1];

    if (!old || !repl) {
      fail(at(obj, last), `expected 'obj old_func[,sympos] new_func [cond]': ${old ? 'new_func' : 'old_func'} is missing`);
      return;
    }
    const comma = old.text.indexOf(',');
    const oldFunc = comma < 0 ? old.text : old.text.slice(0, comma);
    const oldFuncLocation = span(old.start, old.start + oldFunc.length);
    if (oldFunc === '') {
      fail(at(old), 'old_func is empty');
      return;
    }
    let sympos = 0;
    let symposLocation: Location | undefined;
    if (comma >= 0) {
      const symposText = old.text.slice(comma + 1);
      symposLocation = span(old.start + comma + 1, old.end);
      const value = SYMPOS.test(symposText) ? Number(symposText) : NaN;
      if (!Number.isSafeInteger(value)) {
        // An empty sympos points at the comma itself.
        fail(symposText ? symposLocation : span(old.start + comma, old.end), `sympos '${symposText}' is not a number`);
        return;
      }
      sympos = value;
    }
    rows.push({
      object: obj.text,
      oldFunc,
      sympos,
      newFunc: repl.text,
      ...(cond.length > 0 && { condition: line.slice(cond[0].start, last.end), conditionLocation: at(cond[0], last) }),
      location: at(obj, last),
      objectLocation: at(obj),
      oldFuncLocation,
      ...(symposLocation && { symposLocation }),
      newFuncLocation: at(repl),
    });
  });
  return { file, rows, problems };
}
