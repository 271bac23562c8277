// exported-symbol-dependency: "Convert to a klp symbol". The reference to a module's export
// becomes a klp relocation, resolved by the livepatch core when the module is there, so that
// modpost records no `depends:` on it (reference section 7, seed 004 case B).
//
// The spelling is SUSE's klp-convert, the one source-level spelling in production use (SUSE's
// kernel-livepatch repository declares such symbols so):
//   extern typeof(sym) sym KLP_RELOC_SYMBOL(lp_obj, sym_obj, sym);
// `typeof` takes the type from the declaration the code already compiles against (the
// module's own extern, or a header's), so nothing is retyped; the asm label the macro expands
// to renames the symbol `.klp.sym.rela.<lp_obj>.<sym_obj>.<sym>,0`, which klp-convert turns into
// a klp relocation in `.klp.rela.<lp_obj>.*`. Upstream klp-build has no source spelling (objtool
// converts such references itself), and klp-convert's earlier KLP_MODULE_RELOC/KLP_SYMPOS
// arrays gave way to this macro.
//
// Kernels without klp-convert lack the macro: a definition guarded with #ifndef goes after the
// includes, unless the module already uses the macro (then it compiles against one).
import type { Problem } from '../common/problem';
import { fileScopeItemStart } from './cLayout';
import { fixOf, type FixInput } from './fixInput';
import { countField, isPresent, stringField } from './problemData';
import { at, point, type SourceText } from './sourceText';
import type { Fix, TextEdit } from './types';

const WORD = /^[A-Za-z_]\w*$/;

const DEFINITION = [
  '#ifndef KLP_RELOC_SYMBOL',
  '/*',
  ' * klp-convert\'s annotation, as the kernels that carry klp-convert define it: the',
  ' * symbol is renamed ".klp.sym.rela.<lp_obj>.<sym_obj>.<sym>,0" and klp-convert',
  ' * turns each reference to it into a klp relocation, written by the livepatch core',
  ' * when <lp_obj> is loaded instead of by the module loader. The build must run',
  ' * klp-convert on the module.',
  ' */',
  '#define KLP_RELOC_SYMBOL(LP_OBJ_NAME, SYM_OBJ_NAME, SYM_NAME) \\',
  '\tasm("\\".klp.sym.rela." #LP_OBJ_NAME "." #SYM_OBJ_NAME "." #SYM_NAME ",0\\"")',
  '#endif',
];

export function convertToKlpSymbol({ problem, source }: FixInput): Fix[] {
  const symbol = stringField(problem, 'symbol');
  const object = stringField(problem, 'object');
  const relocationObject = relocationObjectOf(problem, object);
  // An export is unique in its module: sympos 0, which is all KLP_RELOC_SYMBOL writes.
  if (!symbol || !object || !relocationObject || ![symbol, object, relocationObject].every((w) => WORD.test(w)) || countField(problem, 'sympos') !== 0) return [];
  if (source.slice(problem.range) !== symbol) return [];
  const line = fileScopeItemStart(source, problem.range.start.line);
  const declaration = `extern typeof(${symbol}) ${symbol} KLP_RELOC_SYMBOL(${relocationObject}, ${object}, ${symbol});`;
  const edits: TextEdit[] = [];
  if (!/\bKLP_RELOC_SYMBOL\b/.test(source.text)) edits.push(definitionEdit(source, line));
  edits.push({ range: point(at(line, 0)), newText: `${declaration}${source.eol}${source.eol}` });
  return [fixOf(problem, `Convert \`${symbol}\` to a klp symbol (KLP_RELOC_SYMBOL)`, edits)];
}

/**
 * The object whose `.klp.rela.<obj>.*` section holds the reference: the check's
 * `relocationObject` (null when no patched object is known to run the code), the exporting
 * module when it gives none. kernel/livepatch/core.c klp_apply_object_relocs() writes such a
 * section only for an object of the patch, and klp_resolve_symbols() resolves a module symbol
 * for a vmlinux section when the livepatch loads, failing while the module is absent:
 * vmlinux code that needs a module's export keeps the ordinary relocation (no fix).
 */
function relocationObjectOf(problem: Problem, object: string | undefined): string | undefined {
  const given = isPresent(problem, 'relocationObject') ? stringField(problem, 'relocationObject') : object;
  return given === 'vmlinux' ? undefined : given;
}

/** The guarded definition after the last #include above `line` (or just before `line`). */
function definitionEdit(source: SourceText, line: number): TextEdit {
  let include = line - 1;
  while (include >= 0 && !/^\s*#\s*include\b/.test(source.line(include))) include--;
  const { eol } = source;
  const block = DEFINITION.join(eol);
  return include >= 0
    ? { range: point(at(include + 1, 0)), newText: `${eol}${block}${eol}` }
    : { range: point(at(line, 0)), newText: `${block}${eol}${eol}` };
}
