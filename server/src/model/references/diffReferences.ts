// The names the added lines of a patch use: the symbols the built livepatch will
// reference (calls, addresses taken, variables read or written). Kept simple, by
// kernel convention rather than C semantics:
// - identifiers outside comments, strings and preprocessor lines;
// - not keywords, specifiers, annotations or `__attribute__` contents, not member names
//   (after `.` or `->`), not struct/union/enum tags, not labels or goto targets, not
//   ALL_CAPS names (macros and constants), not common kernel type names, nothing on a
//   definition's head;
// - not names declared in the hunks (`int *p;`, `struct x *y = ...`, parameters of the
//   heads shown, including diff -p's context): in their function, or anywhere in the
//   file for a declaration at file scope (a new global);
// - not functions the patch itself defines or changes (they resolve inside the livepatch).
// Locals and parameters declared outside the hunks remain: the consumers look names up
// in the kernel's tables, where such names rarely are.
import type { Memo } from '../../common/memo';
import { isSpecifier } from '../../syntax/cDefinition';
import { C_KEYWORDS, type CToken } from '../../syntax/cLine';
import type { DiffFile, DiffHunk } from '../../syntax/diffTypes';
import { functionsByLine, lineLocation, sideLines, type TokenizedLine } from '../../syntax/hunkLines';
import { contextDefinition, lineDefinitions } from '../../syntax/lineDefinitions';
import type { SymbolReference } from '../livepatch';

const MACRO_CASE = /^[A-Z][A-Z0-9_]*$/;
const KERNEL_TYPES = new Set([
  'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', '__u8', '__u16', '__u32', '__u64', '__s8', '__s16', '__s32',
  '__s64', '__le16', '__le32', '__le64', '__be16', '__be32', '__be64', 'size_t', 'ssize_t', 'loff_t', 'off_t', 'pid_t',
  'uid_t', 'gid_t', 'kuid_t', 'kgid_t', 'umode_t', 'dev_t', 'gfp_t', 'fmode_t', 'atomic_t', 'atomic64_t', 'spinlock_t',
  'raw_spinlock_t', 'rwlock_t', 'uintptr_t', 'intptr_t', 'ptrdiff_t', 'phys_addr_t', 'dma_addr_t', 'sector_t',
  'blkcnt_t', 'time64_t', 'ktime_t', 'refcount_t', 'cpumask_t', 'nodemask_t', 'wait_queue_head_t', 'va_list',
  'uint8_t', 'uint16_t', 'uint32_t', 'uint64_t', 'int8_t', 'int16_t', 'int32_t', 'int64_t', '__poll_t', '__wsum',
  '__sum16', 'irqreturn_t', 'vm_fault_t', 'pgoff_t', 'pte_t', 'pmd_t', 'pud_t', 'pgd_t', 'p4d_t',
]);
/** Words that start a statement, not a declaration. */
const STATEMENT_WORDS = new Set(['return', 'goto', 'case', 'else', 'do', 'sizeof', 'if', 'while', 'for', 'switch']);

/** Annotations and branch hints that read like identifiers. */
const ANNOTATIONS = new Set(['likely', 'unlikely', '__user', '__iomem', '__rcu', '__percpu', '__force', '__must_check', '__always_unused', '__aligned', '__packed']);

/** What one file of a patch gives the patch's references. */
export interface FileReferences {
  /** fileReferences(): the names its added lines use. */
  readonly references: readonly SymbolReference[];
  /** ownNamesOf(): the functions its hunks change or add. */
  readonly own: readonly string[];
}

/** The functions a file's hunks change or add: the patch's own, which resolve inside the livepatch. */
export function ownNamesOf(file: DiffFile): string[] {
  const own = new Set<string>();
  for (const hunk of file.hunks) for (const fn of hunk.functions) if (fn.changed || fn.isNew) own.add(fn.name);
  return [...own];
}

/**
 * The references of a patch, file by file (their concatenation is the patch's references):
 * every file's but those naming a function the patch changes or adds (any file's own names).
 * Kept from one reading of the patch to the next, so that an edit costs the files it changed:
 * a file whose FileReferences is the same object as at the last reading keeps its list (the
 * same array) while the patch's own names stay the same.
 */
export class PatchReferences {
  /** The own names of the files of the last reading, with how many of its files give each. */
  private readonly owners = new Map<string, number>();
  /** The last reading's files, with how many times each came (a file's value may come twice). */
  private files = new Map<FileReferences, number>();
  private lists = new Map<FileReferences, readonly SymbolReference[]>();

  of(files: readonly FileReferences[]): ReadonlyArray<readonly SymbolReference[]> {
    const next = new Map<FileReferences, number>();
    for (const f of files) next.set(f, (next.get(f) ?? 0) + 1);
    // Whether each name the changed files count was own before them (a name moved from one file to another stays own).
    const before = new Map<string, boolean>();
    for (const [f, n] of this.files) this.count(f.own, (next.get(f) ?? 0) - n, before);
    for (const [f, n] of next) if (!this.files.has(f)) this.count(f.own, n, before);
    this.files = next;
    const ownChanged = [...before].some(([name, was]) => this.owners.has(name) !== was);
    const kept = ownChanged ? new Map<FileReferences, readonly SymbolReference[]>() : this.lists;
    this.lists = new Map();
    return files.map((f) => {
      const list = kept.get(f) ?? f.references.filter((ref) => !this.owners.has(ref.name));
      this.lists.set(f, list);
      return list;
    });
  }

  /** Counts `names` `delta` more times, noting in `before` whether each was own before its first change. */
  private count(names: readonly string[], delta: number, before: Map<string, boolean>): void {
    if (delta === 0) return;
    for (const name of names) {
      const n = this.owners.get(name) ?? 0;
      if (!before.has(name)) before.set(name, n > 0);
      if (n + delta === 0) this.owners.delete(name);
      else this.owners.set(name, n + delta);
    }
  }
}

/** The names the added lines of one file of the patch `patchFile` use, the patch's own functions included (`memo`: see syntax/hunkLines.ts sideLines). */
export function fileReferences(patchFile: string, file: DiffFile, memo: Memo): SymbolReference[] {
  // Names declared in the hunks (locals, parameters, new globals), per function ('' for file scope).
  const locals = new Map<string, Set<string>>();
  const declare = (scope: string, names: string[]) => locals.set(scope, new Set([...(locals.get(scope) ?? []), ...names]));
  const candidates: Array<SymbolReference & { scope: string }> = [];
  for (const hunk of file.hunks) {
    const side = sideLines(memo, hunk, 'new');
    const heads = headLines(hunk, side, declare);
    const functionOf = functionsByLine(hunk);
    let prototype = false;
    side.forEach(({ line, tokens, preprocessor }, k) => {
      if (preprocessor) return;
      const inFunction = functionOf.get(line.patchLine)?.name;
      const scope = inFunction ?? '';
      const declared = declaredName(tokens);
      if (declared) declare(scope, [declared]);
      // A declaration at file scope with a parameter list (`int foo(int a);`, `module_init(x);`) names no symbol it uses.
      const inPrototype = prototype || (!inFunction && !heads.has(k) && startsPrototype(line.text, tokens));
      prototype = inPrototype && !tokens.some((t) => t.text === ';');
      if (line.kind !== 'add' || heads.has(k) || inPrototype) return;
      const hidden = attributeTokens(tokens);
      tokens.forEach((t, i) => {
        if (!hidden.has(i) && isReference(tokens, i)) {
          candidates.push({ name: t.text, location: lineLocation(patchFile, line, t), ...(inFunction ? { inFunction } : {}), scope });
        }
      });
    });
  }
  // A name declared at file scope (a new global of the patch) is the patch's own everywhere in the file.
  const isLocal = (scope: string, name: string) => (locals.get(scope)?.has(name) ?? false) || (locals.get('')?.has(name) ?? false);
  const out: SymbolReference[] = [];
  for (const { scope, ...ref } of candidates) if (!isLocal(scope, ref.name)) out.push(ref);
  return out;
}

/**
 * The lines (indexes in `side`) that hold definition heads, read in kernel style; the
 * parameters of those definitions, and of the hunk header's context function, are declared.
 */
function headLines(hunk: DiffHunk, side: readonly TokenizedLine[], declare: (scope: string, names: string[]) => void): Set<number> {
  const context = contextDefinition(hunk.context);
  if (context) declare(context.name, context.parameters);
  const heads = new Set<number>();
  const defs = lineDefinitions(
    side.map((l) => l.line.text),
    context,
    side.map((l) => l.line.kind === 'add'),
  ).at;
  for (const def of new Set(defs)) {
    if (!def || def.fromContext) continue;
    declare(def.name, def.parameters);
    for (let k = def.start; k <= def.headEnd; k++) heads.add(k);
  }
  return heads;
}

function startsPrototype(text: string, tokens: readonly CToken[]): boolean {
  const paren = tokens.findIndex((t) => t.text === '(');
  return /^[A-Za-z_]/.test(text) && paren > 0 && !tokens.slice(0, paren).some((t) => t.text === '=');
}

/** Indexes of the tokens inside `__attribute__((...))`. */
function attributeTokens(tokens: readonly CToken[]): Set<number> {
  const hidden = new Set<number>();
  tokens.forEach((t, i) => {
    if (t.text !== '__attribute__' || tokens[i + 1]?.text !== '(') return;
    for (let j = i + 1, depth = 0; j < tokens.length; j++) {
      hidden.add(j);
      if (tokens[j].text === '(') depth++;
      else if (tokens[j].text === ')' && --depth === 0) break;
    }
  });
  return hidden;
}

function isReference(tokens: readonly CToken[], i: number): boolean {
  const t = tokens[i];
  if (t.kind !== 'ident' || C_KEYWORDS.has(t.text) || MACRO_CASE.test(t.text) || KERNEL_TYPES.has(t.text)) return false;
  if (ANNOTATIONS.has(t.text) || isSpecifier(t.text)) return false;
  const prev = tokens[i - 1]?.text;
  if (prev === '.' || prev === '->' || prev === 'struct' || prev === 'union' || prev === 'enum' || prev === 'goto') return false;
  // A label: `name:` alone at the start of a line (not `a ? b : c`, not a bitfield).
  if (i === 0 && tokens[1]?.text === ':' && tokens.length === 2) return false;
  return true;
}

/**
 * The name a declaration line declares: type words (or `struct x`) and `*`s, then the
 * name, then `;`, `=`, `,` or `[` (`int *p;`, `struct task_struct *tsk = current;`), or
 * the first argument of a DEFINE_/DECLARE_ macro.
 */
function declaredName(tokens: readonly CToken[]): string | undefined {
  // `static DEFINE_MUTEX(lock);`, `DEFINE_STATIC_KEY_TRUE(key);`
  const m = tokens[0]?.text === 'static' ? 1 : 0;
  if (/^(DEFINE|DECLARE)_\w+$/.test(tokens[m]?.text ?? '') && tokens[m + 1]?.text === '(' && tokens[m + 2]?.kind === 'ident') return tokens[m + 2].text;
  if (tokens.length < 3 || tokens[0].kind !== 'ident' || STATEMENT_WORDS.has(tokens[0].text)) return undefined;
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'ident' || t.text === '*') continue;
    if ([';', '=', ',', '['].includes(t.text) && tokens[i - 1].kind === 'ident' && i >= 2) return tokens[i - 1].text;
    return undefined;
  }
  return undefined;
}
