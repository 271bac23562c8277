// A klp symbol declared in a hand-written livepatch module, in SUSE's klp-convert spelling (the
// one source-level spelling in production use):
//   extern typeof(sym) sym KLP_RELOC_SYMBOL(lp_obj, sym_obj, sym);
//   extern typeof(sym) sym KLP_RELOC_SYMBOL_POS(lp_obj, sym_obj, sym, pos);
// `typeof` takes the type from the declaration the code already compiles against, so nothing is
// retyped; the asm label renames the symbol `.klp.sym.rela.<lp_obj>.<sym_obj>.<sym>,<pos>`, which
// klp-convert (or `klp-lens convert` on a stock kernel) turns into a klp relocation in
// `.klp.rela.<lp_obj>.*` (Documentation/livepatch/module-elf-format.rst). Kernels without
// klp-convert lack the macros: a definition guarded with #ifndef goes after the includes, unless
// the module already uses them.
import { afterIncludes, fileScopeItemStart } from './cLayout';
import type { TextEdit } from './fix';
import { at, point, type SourceText } from './sourceText';

export interface KlpSymbol {
  symbol: string;
  /** The object that holds it. */
  object: string;
  /** Its position among the object's symbols of that name (0: the only one). */
  sympos: number;
  /** The patched object whose `.klp.rela.<obj>.*` section holds the reference. */
  relocationObject: string;
}

const WORD = /^[A-Za-z_]\w*$/;

const DEFINITION = [
  '#ifndef KLP_RELOC_SYMBOL_POS',
  '/*',
  ' * klp-convert\'s annotations, as the kernels that carry klp-convert define them: the',
  ' * symbol is renamed ".klp.sym.rela.<lp_obj>.<sym_obj>.<sym>,<pos>" and klp-convert',
  ' * (or `klp-lens convert`) turns each reference to it into a klp relocation, written by',
  ' * the livepatch core when <lp_obj> is loaded instead of by the module loader.',
  ' */',
  '#define KLP_RELOC_SYMBOL_POS(LP_OBJ_NAME, SYM_OBJ_NAME, SYM_NAME, SYM_POS) \\',
  '\tasm("\\".klp.sym.rela." #LP_OBJ_NAME "." #SYM_OBJ_NAME "." #SYM_NAME "," #SYM_POS "\\"")',
  '#define KLP_RELOC_SYMBOL(LP_OBJ_NAME, SYM_OBJ_NAME, SYM_NAME) \\',
  '\tKLP_RELOC_SYMBOL_POS(LP_OBJ_NAME, SYM_OBJ_NAME, SYM_NAME, 0)',
  '#endif',
];

/**
 * The edits that declare `k` as a klp symbol before the file-scope item holding `line` (the
 * reference); none when a name is no C identifier.
 */
export function klpSymbolEdits(source: SourceText, line: number, k: KlpSymbol): TextEdit[] {
  if (![k.symbol, k.object, k.relocationObject].every((w) => WORD.test(w)) || !(k.sympos >= 0)) return [];
  const start = fileScopeItemStart(source, line);
  const macro =
    k.sympos === 0
      ? `KLP_RELOC_SYMBOL(${k.relocationObject}, ${k.object}, ${k.symbol})`
      : `KLP_RELOC_SYMBOL_POS(${k.relocationObject}, ${k.object}, ${k.symbol}, ${k.sympos})`;
  const edits: TextEdit[] = [];
  if (!/\bKLP_RELOC_SYMBOL(_POS)?\b/.test(source.text)) edits.push(afterIncludes(source, start, DEFINITION));
  edits.push({ range: point(at(start, 0)), newText: `extern typeof(${k.symbol}) ${k.symbol} ${macro};${source.eol}${source.eol}` });
  return edits;
}
