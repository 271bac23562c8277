// Whether a line of a C file is compiled for the target: the #if, #ifdef, #elif and #else lines
// around it, evaluated with what the target's compiler and kbuild define before the file's first
// line (test_klp_syscall.c defines FN_PREFIX once per architecture under `#if defined(__x86_64__)`
// ... `#elif defined(__s390x__)`). Three answers: compiled, not compiled, or not known (a macro of
// a header, a CONFIG_ option of an unknown .config): only "not compiled" leaves a line out.
import { evaluateConstant, type Defines } from './cConstants';
import type { SyntaxNode } from './treeSitter';

/** What is defined before a file's first line on the target (the compiler's own macros, kbuild's -D flags, the .config). */
export interface Predefined {
  /** Macros defined, with their values (`__x86_64__` 1, `MODULE` 1, `CONFIG_SMP` 1). */
  values: ReadonlyMap<string, string>;
  /** Macros known to be undefined: other architectures' own macros. */
  undefinedNames: ReadonlySet<string>;
  /** Prefixes whose macros are all in `values` when defined (`CONFIG_` once the .config is known). */
  closedPrefixes: readonly string[];
}

type Truth = boolean | undefined;

const and = (a: Truth, b: Truth): Truth => (a === false || b === false ? false : a === undefined || b === undefined ? undefined : true);
const not = (a: Truth): Truth => (a === undefined ? undefined : !a);

const BRANCHES = new Set(['preproc_if', 'preproc_ifdef', 'preproc_elif', 'preproc_elifdef', 'preproc_else']);
/** Stands for a value not known here: the evaluator knows no such name. */
const UNKNOWN = '__klp_lens_unknown__';

export class Conditions {
  private readonly values = new Map<number, Truth>();
  /** By branch: whether its body is compiled (its chain's lines, and the branches around the chain). */
  private readonly bodies = new Map<number, Truth>();
  /** By branch: that no earlier branch of its chain is taken, and the chain's first #if. */
  private readonly chains = new Map<number, { noneBefore: Truth; head: SyntaxNode }>();

  constructor(
    private readonly predefined: Predefined,
    /** The file's own object-like macros (where a name defined in the file is not known to be defined at a given line). */
    private readonly fileDefines: Defines,
  ) {}

  /** False when the #if lines around `node` leave it out on the target; true when they keep it; undefined when not known. */
  compiled(node: SyntaxNode): Truth {
    // The branches around `node`, innermost first, up to one already decided: each is decided
    // once, however deep the nesting and however many lines it holds.
    const pending: SyntaxNode[] = [];
    let truth: Truth = true;
    for (let branch = enclosingBranch(node); branch; branch = enclosingBranch(this.chainOf(branch).head)) {
      if (this.bodies.has(branch.id)) {
        truth = this.bodies.get(branch.id);
        break;
      }
      pending.push(branch);
    }
    for (let i = pending.length - 1; i >= 0; i--) {
      const branch = pending[i];
      truth = and(truth, and(this.condition(branch), this.chainOf(branch).noneBefore));
      this.bodies.set(branch.id, truth);
    }
    return truth;
  }

  /** A branch is taken when its own condition holds and none of its chain's earlier ones does. */
  private chainOf(branch: SyntaxNode): { noneBefore: Truth; head: SyntaxNode } {
    const known = this.chains.get(branch.id);
    if (known) return known;
    // The chain from its first #if to `branch`, each member decided in order.
    const members = [branch];
    for (let earlier = earlierBranch(branch); earlier && !this.chains.has(earlier.id); earlier = earlierBranch(earlier)) members.unshift(earlier);
    const before = earlierBranch(members[0]);
    let { noneBefore, head } = before ? this.chainOf(before) : { noneBefore: true as Truth, head: members[0] };
    if (before) noneBefore = and(noneBefore, not(this.condition(before)));
    for (const member of members) {
      this.chains.set(member.id, { noneBefore, head });
      noneBefore = and(noneBefore, not(this.condition(member)));
    }
    return this.chains.get(branch.id)!;
  }

  private condition(branch: SyntaxNode): Truth {
    if (this.values.has(branch.id)) return this.values.get(branch.id);
    const value = this.evaluate(branch);
    this.values.set(branch.id, value);
    return value;
  }

  private evaluate(branch: SyntaxNode): Truth {
    switch (branch.type) {
      case 'preproc_else':
        return true;
      case 'preproc_ifdef':
      case 'preproc_elifdef': {
        const name = branch.childForFieldName('name')?.text;
        const defined = name ? definedOn(name, this.predefined, this.fileDefines) : undefined;
        return /^#(el)?ifndef$/.test(branch.child(0)?.type ?? '') ? not(defined) : defined;
      }
      default: {
        const text = branch.childForFieldName('condition')?.text;
        return text === undefined ? undefined : conditionHolds(text, this.predefined, this.fileDefines);
      }
    }
  }
}

/**
 * Whether the #if condition `text` holds on the target (a row's condition of SUSE's
 * patched_funcs.csv is one: register-patches.sh writes it as `#if <condition>`); undefined when
 * not known. `fileDefines`: the macros of the file it is in.
 */
export function conditionHolds(text: string, predefined: Predefined, fileDefines: Defines = new Map()): Truth {
  const value = evaluateConstant(substituted(text, predefined, fileDefines), fileDefines);
  return value === undefined ? undefined : value !== 0;
}

/** The condition with `defined`, IS_ENABLED() and the target's macros replaced by their values. */
function substituted(text: string, predefined: Predefined, fileDefines: Defines): string {
  const token = (t: Truth) => (t === undefined ? UNKNOWN : t ? '1' : '0');
  const defined = (name: string) => definedOn(name, predefined, fileDefines);
  return (
    text
      .replace(/\bdefined\s*(?:\(\s*(\w+)\s*\)|(\w+))/g, (_, a: string | undefined, b: string | undefined) => token(defined((a ?? b)!)))
      // include/linux/kconfig.h: IS_BUILTIN(x) is x set to y, IS_MODULE(x) to m, IS_ENABLED(x) either, as
      // IS_REACHABLE(x) is in a module.
      .replace(/\b(IS_ENABLED|IS_BUILTIN|IS_MODULE|IS_REACHABLE)\s*\(\s*(\w+)\s*\)/g, (_, macro: string, option: string) => {
        const builtin = defined(option);
        const module = defined(`${option}_MODULE`);
        if (macro === 'IS_BUILTIN') return token(builtin);
        if (macro === 'IS_MODULE') return token(module);
        return token(builtin === true || module === true ? true : builtin === false && module === false ? false : undefined);
      })
      // include/generated/uapi/linux/version.h
      .replace(/\bKERNEL_VERSION\s*\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)/g, (_, a: string, b: string, c: string) => String(Number(a) * 65536 + Number(b) * 256 + Math.min(Number(c), 255)))
      .replace(/\b[A-Za-z_]\w*\b/g, (name) => {
        if (fileDefines.has(name)) return name;
        const value = predefined.values.get(name);
        if (value !== undefined) return `(${value})`;
        // An identifier no macro names is 0 in #if (C11 6.10.1).
        return knownUndefined(name, predefined) ? '0' : name;
      })
  );
}

function definedOn(name: string, predefined: Predefined, fileDefines: Defines): Truth {
  if (predefined.values.has(name)) return true;
  // Defined somewhere in the file: whether before this line, and on which branch, is not worked out.
  if (fileDefines.has(name)) return undefined;
  return knownUndefined(name, predefined) ? false : undefined;
}

function knownUndefined(name: string, predefined: Predefined): boolean {
  return predefined.undefinedNames.has(name) || predefined.closedPrefixes.some((p) => name.startsWith(p));
}

/** Whether `child` is the #elif/#else that continues `parent`'s chain rather than a line of its body. */
function isAlternative(parent: SyntaxNode, child: SyntaxNode): boolean {
  return parent.childForFieldName('alternative')?.id === child.id;
}

function earlierBranch(branch: SyntaxNode): SyntaxNode | undefined {
  const parent = branch.parent;
  return parent && BRANCHES.has(parent.type) && isAlternative(parent, branch) ? parent : undefined;
}

/** The innermost #if, #elif or #else whose body holds `node`. */
function enclosingBranch(node: SyntaxNode): SyntaxNode | undefined {
  let child = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (BRANCHES.has(parent.type) && !isAlternative(parent, child)) return parent;
  }
  return undefined;
}
