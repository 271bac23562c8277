// missing-livepatch-modinfo: add MODULE_INFO(livepatch, "Y") where the check says (after the
// module's last MODULE_* line, or at the end of the file).
import { isBlankCode } from './cLayout';
import { fixOf, type FixInput } from './fixInput';
import { stringField } from './problemData';
import { isPoint, point } from './sourceText';
import type { Fix, TextEdit } from './types';

export function addLivepatchModinfo({ problem, source }: FixInput): Fix[] {
  const insertText = stringField(problem, 'insertText');
  const where = problem.range.start;
  const offset = isPoint(problem.range) ? source.offsetAt(where) : undefined;
  if (!insertText?.includes('MODULE_INFO(livepatch') || offset === undefined) return [];
  const { text, eol } = source;
  // Stale when the mark is there already, or the place no longer follows a macro's `)` / `;`.
  if (/^[ \t]*MODULE_INFO\s*\(\s*livepatch\b/m.test(text) || (offset < text.length && !/[);]$/.test(text.slice(0, offset)))) return [];
  const lines = insertText.replace(/\n/g, eol);
  let edit: TextEdit;
  if (offset === text.length && text.endsWith('\n')) {
    // At the end of a file that ends with a line break: a line of its own, ending with one too.
    edit = { range: point(where), newText: `${lines.replace(/^\r?\n/, '')}${eol}` };
  } else {
    // A comment after the macro stays on its line.
    const afterLine = isBlankCode(source.line(where.line).slice(where.character));
    edit = { range: point(afterLine ? source.lineEnd(where.line) : where), newText: lines };
  }
  return [fixOf(problem, 'Add MODULE_INFO(livepatch, "Y")', [edit], true)];
}
