// Symbols a hand-written module asks to be resolved by name rather than by the module
// loader: klp relocations written in the source (reference section 6 and 7) and run-time
// kallsyms lookups.
import { problem, type Problem } from '../../common/problem';
import type { KlpSymbolDeclaration } from '../livepatch';
import { evaluateConstant } from '../../syntax/cConstants';
import type { MacroTable } from '../../syntax/cMacros';
import { calleeName, callArguments, declaratorName, nodeLocation, stringLiteralValue, unwrapExpression, walk } from '../../syntax/cNodes';
import { stringConstant } from '../../syntax/cStrings';
import type { LineIndex } from '../../syntax/lineIndex';
import { findMacroCalls, type MacroCall } from '../../syntax/macroCalls';
import type { SyntaxNode } from '../../syntax/treeSitter';

export interface KlpSymbolInput {
  file: string;
  root: SyntaxNode;
  text: string;
  lines: LineIndex;
  macros: MacroTable;
  problems: Problem[];
}

export function readKlpSymbols(input: KlpSymbolInput): KlpSymbolDeclaration[] {
  const found = [...relocSymbolMacros(input), ...symposAnnotations(input), ...asmLabels(input), ...kallsymsLookups(input)];
  return found.sort((a, b) => a.location.range.start.line - b.location.range.start.line || a.location.range.start.character - b.location.range.start.character);
}

const WORD = /^\w+$/;

/**
 * SUSE's klp-convert: `extern int x KLP_RELOC_SYMBOL(lp_obj, sym_obj, sym);` and
 * KLP_RELOC_SYMBOL_POS(lp_obj, sym_obj, sym, pos), an asm label `.klp.sym.rela.<lp>.<obj>.<sym>,<pos>`
 * (KLP_RELOC_SYMBOL is KLP_RELOC_SYMBOL_POS with pos 0).
 */
function relocSymbolMacros(input: KlpSymbolInput): KlpSymbolDeclaration[] {
  const out: KlpSymbolDeclaration[] = [];
  for (const call of findMacroCalls(input.root, input.text, (n) => n === 'KLP_RELOC_SYMBOL' || n === 'KLP_RELOC_SYMBOL_POS')) {
    const withPos = call.name === 'KLP_RELOC_SYMBOL_POS';
    const [relocationObject, object, name, pos] = call.args.map((a) => a.text);
    const sympos = withPos ? evaluateConstant(pos ?? '', input.macros.objectLike) : 0;
    if (call.args.length !== (withPos ? 4 : 3) || !WORD.test(relocationObject) || !WORD.test(object) || !WORD.test(name) || sympos === undefined) {
      note(input, call, `cannot read ${call.name}(${call.args.map((a) => a.text).join(', ')}): klp-lens leaves this klp symbol out`);
      continue;
    }
    out.push(withLocalName(input, call.start, { name, object, sympos, spelling: 'KLP_RELOC_SYMBOL', relocationObject, location: callLocation(input, call) }));
  }
  return out;
}

/** The earlier klp-convert: `KLP_MODULE_RELOC(obj) relocs[] = { KLP_SYMPOS(sym, pos), ... };`. */
function symposAnnotations(input: KlpSymbolInput): KlpSymbolDeclaration[] {
  const calls = findMacroCalls(input.root, input.text, (n) => n === 'KLP_MODULE_RELOC' || n === 'KLP_SYMPOS').sort((a, b) => a.start - b.start);
  const out: KlpSymbolDeclaration[] = [];
  let object: string | undefined;
  for (const call of calls) {
    const [first, second] = call.args.map((a) => a.text);
    if (call.name === 'KLP_MODULE_RELOC') {
      object = WORD.test(first ?? '') ? first : undefined;
      continue;
    }
    const sympos = second === undefined ? 0 : evaluateConstant(second, input.macros.objectLike);
    if (!object || !WORD.test(first ?? '') || sympos === undefined) {
      note(input, call, `cannot read KLP_SYMPOS(${call.args.map((a) => a.text).join(', ')}) with its KLP_MODULE_RELOC object: klp-lens leaves it out`);
      continue;
    }
    out.push({ name: first, object, sympos, spelling: 'KLP_SYMPOS', relocationObject: object, location: callLocation(input, call) });
  }
  return out;
}

// Documentation/livepatch/module-elf-format.rst: `.klp.sym.<objname>.<symbol>,<sympos>`;
// SUSE's variant names the livepatch object too: `.klp.sym.rela.<lp_obj>.<sym_obj>.<symbol>,<sympos>`.
const KLP_SYM_RELA = /^"?\.klp\.sym\.rela\.([^.,"]+)\.([^.,"]+)\.([^,"]+),(\d+)"?$/;
const KLP_SYM = /^"?\.klp\.sym\.([^.,"]+)\.([^,"]+),(\d+)"?$/;

/** `extern int foo(void) __asm__(".klp.sym.vmlinux.foo,0");` */
function asmLabels(input: KlpSymbolInput): KlpSymbolDeclaration[] {
  const out: KlpSymbolDeclaration[] = [];
  // The last gnu_asm_expression met: the parent of a string literal under one.
  let asm: SyntaxNode | undefined;
  walk(input.root, new Set(['string_literal', 'gnu_asm_expression']), (node, parentType) => {
    if (node.type === 'gnu_asm_expression') {
      asm = node;
      return true;
    }
    const value = stringLiteralValue(node) ?? '';
    const rela = KLP_SYM_RELA.exec(value);
    const plain = rela ? null : KLP_SYM.exec(value);
    // The plain spelling names one object: klp-lens convert relocates it in that object's section.
    const [relocationObject, object, name, pos] = rela ? [rela[1], rela[2], rela[3], rela[4]] : plain ? [plain[1], plain[1], plain[2], plain[3]] : [];
    if (relocationObject && object && name && pos) {
      const found = { name, object, sympos: Number(pos), spelling: 'asm-label' as const, relocationObject, location: nodeLocation(input.file, node) };
      out.push(withLocalName(input, parentType === 'gnu_asm_expression' && asm ? asm.startIndex : node.startIndex, found));
    }
    return false;
  });
  return out;
}

/**
 * `kallsyms_lookup_name("sym")` (kernel/kallsyms.c: vmlinux first, then every loaded module,
 * the first match in symbol order), also through a pointer to it (`kln_t kln = ...; kln("sym")`),
 * and "mod:sym", which kernel/module/kallsyms.c module_kallsyms_lookup_name() looks up in `mod` only.
 */
function kallsymsLookups(input: KlpSymbolInput): KlpSymbolDeclaration[] {
  const lookups = lookupFunctions(input.root);
  const out: KlpSymbolDeclaration[] = [];
  walk(input.root, new Set(['call_expression']), (node) => {
    const callee = calleeName(node);
    const arg = callArguments(node)[0];
    const value = callee && lookups.has(callee) && arg ? stringConstant(arg, input.macros) : undefined;
    if (value) {
      const colon = value.indexOf(':');
      const location = nodeLocation(input.file, node);
      // The first occurrence in walk order is what the lookup returns: sympos 1.
      if (colon > 0) out.push({ name: value.slice(colon + 1), object: value.slice(0, colon), sympos: 1, spelling: 'kallsyms_lookup_name', location });
      else out.push({ name: value, object: 'vmlinux', sympos: 1, spelling: 'kallsyms_lookup_name', location, anyObject: true });
    }
  });
  return out;
}

function isLookupName(name: string): boolean {
  return name === 'kallsyms_lookup_name' || /^klp_kallsyms_lookup/.test(name);
}

/** kallsyms_lookup_name and the variables and typedefs that hold it. */
function lookupFunctions(root: SyntaxNode): Set<string> {
  const types = new Set<string>();
  const names = new Set<string>(['kallsyms_lookup_name']);
  const holdsLookup = (value: SyntaxNode | null) => {
    const inner = value ? unwrapExpression(value) : undefined;
    return inner?.type === 'identifier' && isLookupName(inner.text);
  };
  walk(root, new Set(['identifier', 'cast_expression', 'init_declarator', 'assignment_expression']), (node) => {
    if (node.type === 'identifier' && isLookupName(node.text)) names.add(node.text);
    if (node.type === 'cast_expression' && holdsLookup(node)) {
      const type = node.childForFieldName('type')?.childForFieldName('type');
      if (type?.type === 'type_identifier') types.add(type.text);
    }
    if (node.type === 'init_declarator' && holdsLookup(node.childForFieldName('value'))) {
      const name = declaratorName(node.childForFieldName('declarator'));
      if (name) names.add(name.text);
    }
    if (node.type === 'assignment_expression' && holdsLookup(node.childForFieldName('right'))) {
      const left = node.childForFieldName('left');
      if (left?.type === 'identifier') names.add(left.text);
    }
  });
  if (types.size > 0) {
    walk(root, new Set(['declaration']), (node) => {
      const type = node.childForFieldName('type');
      if (type?.type === 'type_identifier' && types.has(type.text)) {
        for (const d of node.childrenForFieldName('declarator')) {
          const name = declaratorName(d?.type === 'init_declarator' ? d.childForFieldName('declarator') : d);
          if (name) names.add(name.text);
        }
      }
    });
  }
  return names;
}

/** `found`, with the C name it is declared under when that differs (`klpe_cifsFYI` for cifsFYI). */
function withLocalName(input: KlpSymbolInput, anchor: number, found: KlpSymbolDeclaration): KlpSymbolDeclaration {
  const localName = declaredNameBefore(input.text, anchor);
  return localName && localName !== found.name ? { ...found, localName } : found;
}

/** How far back a declaration may start before its annotation. */
const DECLARATION_WINDOW = 2000;
const NOT_A_NAME = /^(__attribute__|__attribute|__weak|__used|__maybe_unused|__always_unused|__read_mostly|__ro_after_init|const|volatile|__iomem|__percpu|__rcu|__user|__visible)$/;

/**
 * The C name declared just before `anchor`, read from the text: `extern int x KLP_RELOC_SYMBOL(...)`,
 * `extern void f(int a) KLP_RELOC_SYMBOL(...)`, `extern int (*fp)(void) __asm__("...")`. The text,
 * not the tree: tree-sitter's error recovery around these macros merges neighbouring declarations.
 */
function declaredNameBefore(text: string, anchor: number): string | undefined {
  const windowStart = Math.max(0, anchor - DECLARATION_WINDOW);
  const before = text.slice(windowStart, anchor);
  const boundary = Math.max(before.lastIndexOf(';'), before.lastIndexOf('{'), before.lastIndexOf('}'));
  let region = before
    .slice(boundary + 1)
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/.*$/gm, ' ')
    .replace(/^\s*#(?:.*\\\r?\n)*.*$/gm, ' ')
    .replace(/\\\r?\n/g, ' ');
  // `(*name)` is the name; other parenthesised groups are parameters, typeof(...) or attributes.
  for (let pass = 0; pass < 16; pass++) {
    const next = region.replace(/\(\s*\*\s*(\w+)\s*\)/g, ' $1 ').replace(/\([^()]*\)/g, ' ');
    if (next === region) break;
    region = next;
  }
  return (region.match(/[A-Za-z_]\w*/g) ?? []).filter((w) => !NOT_A_NAME.test(w)).at(-1);
}

function callLocation(input: KlpSymbolInput, call: MacroCall) {
  return input.lines.location(input.file, call.start, call.end);
}

function note(input: KlpSymbolInput, call: MacroCall, message: string): void {
  input.problems.push(problem('parse-error', 'information', callLocation(input, call), message));
}
