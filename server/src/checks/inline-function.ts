// A changed function that cannot be patched by itself: declared inline (the kernel's
// inline implies notrace, include/linux/compiler_types.h), or absent from its object's
// symbol table (inlined into its callers).
import { groupBy } from '../common/groupBy';
import type { Memo } from '../common/memo';
import { problem, type Problem } from '../common/problem';
import { clonesOf } from '../kernel/symbolClones';
import type { KernelContext, ObjectSymbols } from '../kernel/types';
import { isInlineSpecifier } from '../syntax/cDefinition';
import { functionsOf, type Livepatch, type PatchedFunction } from '../model/livepatch';
import type { StaticCheck, StaticContext } from './check';
import { movedProblem, perFunction } from './diffFileResults';
import { otherAppearances, type DiffFunction } from './diffFunctions';

/** The changed function, and what says it cannot be patched itself. */
export interface InlineFunctionData {
  function: string;
  /** The kernel source file it is defined in (the diff file's path). */
  file: string;
  /** The inline specifier written. */
  specifier?: string;
  /** The object whose symbol table lacks the function. */
  object?: string;
}

export const check: StaticCheck<InlineFunctionData> = {
  id: 'inline-function',
  severity: 'warning',
  title: 'A changed function is inline and cannot be patched itself',
  doc:
    'The livepatch core redirects a function through the ftrace call at its start. The kernel defines ' +
    '`inline` as `inline notrace` (include/linux/compiler_types.h), so an inline function has no such ' +
    'call even when the compiler keeps an out-of-line copy, and a function the compiler inlined has no ' +
    'symbol of its own at all: neither can be patched by itself. What changes is every function it was ' +
    'inlined into: kpatch-build finds and patches those callers (and fails with "has no fentry/mcount ' +
    'call" when an out-of-line copy changed), so the patch grows and its effect depends on inlining ' +
    'decisions. Patch the callers instead, or mark the function `__always_inline` so that the change ' +
    'lands in them predictably. `SYSCALL_DEFINE` puts a syscall\'s body in a `static inline` ' +
    '`__do_sys_<name>()`: use kpatch\'s `KPATCH_SYSCALL_DEFINE<n>` (kpatch-syscall.h). The check also ' +
    'names changed functions that are missing from their object\'s symbol table, when that table is known.',
  run(ctx) {
    return perFunction(ctx, check.id, false, (f) => problemsOf(ctx, f), movedProblem);
  },
  // The build tools do not patch the function itself (its callers change instead).
  verdict: (p) => p.data && { refuses: 'function', file: p.data.file, name: p.data.function },
};

interface BuiltFrom {
  inlined: Map<string, Array<{ g: PatchedFunction }>>;
  compiled: Map<string, Array<{ g: PatchedFunction }>>;
}

/** A livepatch's functions by the source function and file they come from: the callers it was inlined into, the names GCC gave it. */
const builtFrom = (memo: Memo) => (lp: Livepatch): BuiltFrom => {
  // Each function's fields read once per function object (an edited diff's unchanged functions are the
  // same objects): few functions have a source of another name. A diff's file by file
  // (Livepatch.functionParts): an edit looks up the lists of its files, not every function.
  const parts = lp.functionParts;
  const keyed = parts ? firstOfEach(parts.flatMap((part) => memo.get(keyedIn, part))) : functionsOf(lp).flatMap((g) => memo.get(keyedOf, g));
  return {
    inlined: groupBy(keyed.filter((k) => k.inlined !== undefined), (k) => k.inlined!),
    compiled: groupBy(keyed.filter((k) => k.compiled !== undefined), (k) => k.compiled!),
  };
};

type Keyed = { g: PatchedFunction; inlined?: string; compiled?: string };

/** The functions of a list built from another source function. */
function keyedIn(functions: readonly PatchedFunction[]): Keyed[] {
  return functions.flatMap(keyedOf);
}

/** The function with what it is built from, when that is another source function. */
function keyedOf(g: PatchedFunction): Keyed[] {
  const keys = sourceKeys(g);
  return keys.inlined === undefined && keys.compiled === undefined ? [] : [{ g, ...keys }];
}

/** Each function once, as the livepatch's objects keep it: the first of its object, file and name (model/fromDiff.ts). */
function firstOfEach(keyed: Keyed[]): Keyed[] {
  const seen = new Set<string>();
  return keyed.filter(({ g }) => {
    const key = `${g.object}\0${g.sourceFile}\0${g.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** What a function is built from, as builtFrom looks it up: the function inlined into it, the one GCC renamed. */
function sourceKeys(g: PatchedFunction): { inlined?: string; compiled?: string } {
  if (g.sourceFile === undefined) return {};
  return {
    ...(g.inlinedFrom !== undefined && { inlined: `${g.sourceFile}\0${g.inlinedFrom}` }),
    ...(g.sourceFunction !== undefined && { compiled: `${g.sourceFile}\0${g.sourceFunction}` }),
  };
}

function problemsOf(ctx: StaticContext, f: DiffFunction): Problem<InlineFunctionData>[] {
  // The functions the model patches instead (model/fromDiff.ts builtFunctions: the callers it was inlined into).
  const built = ctx.memo.get(ctx.memo.get(builtFrom, ctx.memo), f.lp);
  const into = (built.inlined.get(`${f.file.path}\0${f.name}`) ?? []).map(({ g }) => `\`${g.name}\``);
  const instead = into.length > 0 ? `; it is inlined into ${into.join(', ')}: the build patches those instead` : undefined;
  const inline = f.appearances.map(({ fn }) => fn.specifiers.find(isInlineSpecifier)).find((s) => s !== undefined);
  if (inline) return [report(f, inlineMessage(f.name, inline, instead), { specifier: inline })];
  const table = symbolTable(ctx.kernel, f.file.object);
  // The names GCC gave it, when they are not its own (`FNAME(page_fault)` is paging64_page_fault, ...).
  const compiledAs = (built.compiled.get(`${f.file.path}\0${f.name}`) ?? []).map(({ g }) => g.name);
  if (table && !hasSymbol(ctx.memo, table, f.name) && !compiledAs.some((n) => table.byName.has(n))) {
    return [
      report(
        f,
        `\`${f.name}\` has no symbol in the symbol table of ${table.object} (${table.file}): the compiler inlined it ` +
          `into its callers (or dropped it), so it cannot be patched itself${instead ?? '; the change lands in its callers, patch those'}`,
        { object: table.object },
      ),
    ];
  }
  return [];
}

function inlineMessage(name: string, specifier: string, instead: string | undefined): string {
  if (/^__do_(compat_)?sys_/.test(name)) {
    return (
      `\`${name}\` is the body of a syscall: SYSCALL_DEFINE makes it \`static inline\`, which in the kernel implies ` +
      `notrace, so it cannot be patched itself${instead ?? ''}; to patch the syscall by name, use KPATCH_SYSCALL_DEFINE<n> from kpatch-syscall.h`
    );
  }
  return (
    `\`${name}\` is \`${specifier}\`, which in the kernel implies notrace: it has no ftrace call and cannot be patched ` +
    `itself${instead ?? '; the change lands in every caller it is inlined into, patch its callers (or make it __always_inline)'}`
  );
}

function report(f: DiffFunction, message: string, data: Omit<InlineFunctionData, 'function' | 'file'>): Problem<InlineFunctionData> {
  return problem(check.id, check.severity, f.first.location, message, {
    related: otherAppearances(f, `\`${f.name}\` also changes here`),
    data: { function: f.name, file: f.file.path, ...data },
  });
}

function symbolTable(kernel: KernelContext, object: string | undefined): ObjectSymbols | undefined {
  return object ? kernel.objects.get(object) : undefined;
}

/** The name, or a compiler clone of it (`foo.isra.0`, `foo.constprop.0`, `foo.part.0`, `foo.cold`). */
function hasSymbol(memo: Memo, table: ObjectSymbols, name: string): boolean {
  return table.byName.has(name) || clonesOf(memo, table, name).length > 0;
}
