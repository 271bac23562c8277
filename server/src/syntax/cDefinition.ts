// The head of a C function definition (everything before its `{`) as kernel sources
// write it: the function's name and the storage classes and attributes on it, with
// the kernel's definition macros (`static int __init foo(void)`, `SYSCALL_DEFINE3(...)`).
import { C_KEYWORDS, lexLine, newLexState, type CToken } from './cLine';

export interface DefinitionHead {
  name: string;
  /** Storage classes and attributes written on the definition, in order, once each. */
  specifiers: string[];
  /** The parameters' names, as far as the head shows them. */
  parameters: string[];
}

/** Storage classes and kernel attributes worth reporting (include/linux/compiler_types.h, init.h). */
const SPECIFIERS = new Set([
  'static', 'extern', 'inline', '__inline', '__inline__', '__always_inline', 'noinline', 'notrace', 'noinstr',
  'nokprobe_inline', 'asmlinkage', '__visible', '__weak', '__cold', '__sched', '__kprobes', '__ref', '__head',
  '__maybe_unused', '__used', '__noreturn', '__noclone', '__flatten',
]);
// __init, __exit and their variants (__net_init, __meminit, __init_or_module, ...).
const SECTION_SPECIFIER = /^__\w*(init|exit)(_or_module)?$/;

/** Function-like macros that decorate a definition rather than name it. */
const ATTRIBUTE_MACRO =
  /^(__attribute__|__attribute|__printf|__scanf|__aligned|__section|__acquires|__releases|__must_hold|__cond_acquires|__alloc_size|__malloc|__counted_by|__assume_aligned|__no_sanitize\w*|__diag\w*|__optimize|__nocfi|__noscs|__weak_alias)$/;

/**
 * SYSCALL_DEFINEn(name, ...) defines `static inline long __do_sys_name(...)` (include/linux/syscalls.h),
 * COMPAT_SYSCALL_DEFINEn `__do_compat_sys_name`; kpatch's KPATCH_SYSCALL_DEFINEn (kpatch-syscall.h)
 * is the same function without the inline.
 */
const SYSCALL_MACRO = /^(KPATCH_)?(COMPAT_)?SYSCALL_DEFINE\d$/;

/**
 * The functions a syscall's body is compiled into: SYSCALL_DEFINEn makes `__do_sys_name` a
 * `static inline` called by `__se_sys_name`, itself called by the x86-64 and ia32 entry stubs
 * `__x64_sys_name` and `__ia32_sys_name` (include/linux/syscalls.h,
 * arch/x86/include/asm/syscall_wrapper.h); COMPAT_SYSCALL_DEFINEn the same with `compat_`.
 */
export function syscallWrappers(name: string): readonly string[] {
  const m = /^__do_(compat_)?sys_(\w+)$/.exec(name);
  if (!m) return [];
  const sys = `${m[1] ?? ''}sys_${m[2]}`;
  return [`__se_${sys}`, `__x64_${sys}`, `__ia32_${sys}`];
}

export function isSpecifier(word: string): boolean {
  return SPECIFIERS.has(word) || SECTION_SPECIFIER.test(word);
}

/** `__init`, `__exit` and their variants. */
export function isInitOrExit(specifier: string): boolean {
  return SECTION_SPECIFIER.test(specifier);
}

export function isInlineSpecifier(specifier: string): boolean {
  return ['inline', '__inline', '__inline__', '__always_inline', 'nokprobe_inline'].includes(specifier);
}

/** The tokens of a multi-line text (comments and literals dropped). */
function tokensOfText(text: string): CToken[] {
  const state = newLexState();
  return text.split('\n').flatMap((line) => lexLine(line, state));
}

/**
 * The name and specifiers of a definition head (the text before the body's `{`), or
 * undefined when it does not read as a function definition head.
 */
export function definitionHead(head: string): DefinitionHead | undefined {
  return headOfTokens(tokensOfText(head));
}

export function headOfTokens(tokens: readonly CToken[]): DefinitionHead | undefined {
  for (let i = 1; i < tokens.length; i++) {
    if (tokens[i].text !== '(') continue;
    const before = tokens[i - 1];
    if (before.kind === 'ident' && ATTRIBUTE_MACRO.test(before.text)) {
      i = closingParen(tokens, i);
      continue;
    }
    if (before.kind !== 'ident' || C_KEYWORDS.has(before.text)) return undefined;
    if (tokens.slice(0, i).some((t) => t.text === '=' || t.text === ';' || t.text === '{' || t.text === '}' || t.text === '#')) return undefined;
    const syscall = SYSCALL_MACRO.exec(before.text);
    if (syscall) {
      const arg = tokens[i + 1];
      if (arg?.kind !== 'ident') return undefined;
      const name = `${syscall[2] ? '__do_compat_sys_' : '__do_sys_'}${arg.text}`;
      const implied = syscall[1] ? ['static'] : ['static', 'inline'];
      return { name, specifiers: unique([...specifiersIn(tokens.slice(0, i - 1)), ...implied]), parameters: parametersIn(tokens, i) };
    }
    // `FNAME(walk_addr)(...)`: a macro names the function (arch/x86/kvm/mmu/paging_tmpl.h); the
    // name is kept as written, the model expands it (syntax/callGraph.ts expansionsOf).
    if (tokens[i + 1]?.kind === 'ident' && tokens[i + 2]?.text === ')' && tokens[i + 3]?.text === '(') {
      const close = closingParen(tokens, i + 3);
      return {
        name: `${before.text}(${tokens[i + 1].text})`,
        specifiers: unique([...specifiersIn(tokens.slice(0, i - 1)), ...specifiersIn(tokens.slice(close + 1))]),
        parameters: parametersIn(tokens, i + 3),
      };
    }
    const close = closingParen(tokens, i);
    return {
      name: before.text,
      specifiers: unique([...specifiersIn(tokens.slice(0, i - 1)), ...specifiersIn(tokens.slice(close + 1))]),
      parameters: parametersIn(tokens, i),
    };
  }
  return undefined;
}

/** Names right before a `,` or the closing `)` of the list opened at `open` (a truncated head gives the first ones). */
function parametersIn(tokens: readonly CToken[], open: number): string[] {
  const names: string[] = [];
  const nameBefore = (j: number) => {
    const prev = tokens[j - 1];
    if (j - 1 > open && prev.kind === 'ident' && prev.text !== 'void') names.push(prev.text);
  };
  let depth = 0;
  for (let j = open; j < tokens.length; j++) {
    const t = tokens[j].text;
    if (t === '(') depth++;
    else if (t === ',' && depth === 1) nameBefore(j);
    else if (t === ')') {
      if (depth === 1) nameBefore(j);
      if (--depth === 0) break;
    }
  }
  return names;
}

function specifiersIn(tokens: readonly CToken[]): string[] {
  return tokens.filter((t) => t.kind === 'ident' && isSpecifier(t.text)).map((t) => t.text);
}

function unique(words: string[]): string[] {
  return [...new Set(words)];
}

/** The index of the `)` that closes the `(` at `open` (the last token when it does not close). */
function closingParen(tokens: readonly CToken[], open: number): number {
  let depth = 0;
  for (let j = open; j < tokens.length; j++) {
    if (tokens[j].text === '(') depth++;
    else if (tokens[j].text === ')' && --depth === 0) return j;
  }
  return tokens.length - 1;
}
