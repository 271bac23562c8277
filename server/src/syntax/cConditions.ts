// Whether a line of a C file is compiled for the target: the #if, #ifdef, #elif and #else lines
// before it, evaluated with what the target's compiler and kbuild define before the file's first
// line (test_klp_syscall.c defines FN_PREFIX once per architecture under `#if defined(__x86_64__)`
// ... `#elif defined(__s390x__)`). Three answers: compiled, not compiled, or not known (a macro of
// a header, a CONFIG_ option of an unknown .config): only "not compiled" leaves a line out.
import { evaluateConstant, type Defines } from './cConstants';

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

/** Stands for a value not known here: the evaluator knows no such name. */
const UNKNOWN = '__klp_lens_unknown__';

/** Whether the lines of a region are compiled; when not, the #if, #elif or #else line that leaves them out. */
export interface Region {
  truth: Truth;
  /** 0-based line and text (continuations joined) of the innermost branch not taken, when `truth` is false. */
  directive?: { line: number; text: string };
}

const COMPILED: Region = { truth: true };
const DIRECTIVE = /^\s*#\s*(if|ifdef|ifndef|elif|elifdef|elifndef|else|endif)\b(.*)$/;
const DEFINITION = /^\s*#\s*(define|undef)\s+(\w+)/;

/** The file's own macros met so far, in file order: defined, undefined (#undef), or not known (on a branch not known). */
type SeenMacros = Map<string, Truth>;

/**
 * The region of each line of `text`, as the preprocessor's conditional lines make them on the
 * target: read line by line (continuations joined, lines in block comments skipped), since
 * tree-sitter keeps an `#if` inside an initializer list as an ERROR beside the elements it
 * guards, not around them. `fileDefines`: the file's own object-like macros.
 */
export function preprocessorRegions(text: string, predefined: Predefined, fileDefines: Defines): (line: number) => Region {
  const lines = text.split('\n');
  const regionOf: Region[] = new Array<Region>(lines.length);
  const frames: Array<{ outer: Region; noneBefore: Truth }> = [];
  const seen: SeenMacros = new Map();
  let current = COMPILED;
  let inComment = false;
  for (let i = 0; i < lines.length; i++) {
    regionOf[i] = current;
    const line = lines[i];
    const starts = inComment ? line.indexOf('*/') : -1;
    if (inComment && starts < 0) continue;
    const code = inComment ? line.slice(starts + 2) : line;
    inComment = opensComment(code);
    const definition = DEFINITION.exec(code);
    // A #define or #undef on a branch not taken changes nothing; on one not known, the macro is not known after it.
    if (definition && current.truth !== false) seen.set(definition[2], current.truth === undefined ? undefined : definition[1] === 'define');
    const directive = DIRECTIVE.exec(code);
    if (!directive) continue;
    // A directive continues on the next line after a backslash.
    let rest = directive[2];
    const first = i;
    while (rest.endsWith('\\') && i + 1 < lines.length) {
      rest = `${rest.slice(0, -1)} ${lines[++i]}`;
      regionOf[i] = current;
    }
    const kind = directive[1];
    let frame = frames.at(-1);
    if (kind === 'if' || kind === 'ifdef' || kind === 'ifndef') frames.push((frame = { outer: current, noneBefore: true }));
    else if (!frame) continue; // an #elif, #else or #endif without its #if
    else if (kind === 'endif') {
      current = frames.pop()!.outer;
      continue;
    }
    const condition = kind === 'else' ? true : /def$/.test(kind) ? definedOn(rest.trim().split(/\s/)[0], predefined, fileDefines, seen) : conditionHolds(rest, predefined, fileDefines, seen);
    const holds = /ndef$/.test(kind) ? not(condition) : condition;
    const taken = and(holds, frame.noneBefore);
    frame.noneBefore = and(frame.noneBefore, not(holds));
    const truth = and(frame.outer.truth, taken);
    current = truth !== false ? { truth } : frame.outer.truth === false ? frame.outer : { truth, directive: { line: first, text: `#${kind}${rest}`.trim() } };
  }
  return (line) => regionOf[line] ?? current;
}

/** Whether a block comment is still open at the end of `code`. */
function opensComment(code: string): boolean {
  let open = false;
  for (let at = 0; at < code.length; ) {
    const next = code.indexOf(open ? '*/' : '/*', at);
    if (next < 0) break;
    // A line comment before the next `/*` ends the line's code.
    if (!open && code.lastIndexOf('//', next) >= at) break;
    open = !open;
    at = next + 2;
  }
  return open;
}

/** include/generated/uapi/linux/version.h's KERNEL_VERSION(a, b, c): the sublevel capped at 255, as the top Makefile writes LINUX_VERSION_CODE. */
export function versionCode(major: number, minor: number, sublevel: number): number {
  return major * 65536 + minor * 256 + Math.min(sublevel, 255);
}

/**
 * Whether the #if condition `text` holds on the target (a row's condition of SUSE's
 * patched_funcs.csv is one: register-patches.sh writes it as `#if <condition>`); undefined when
 * not known. `fileDefines`: the macros of the file it is in.
 */
export function conditionHolds(text: string, predefined: Predefined, fileDefines: Defines = new Map(), seen: SeenMacros = new Map()): Truth {
  const value = evaluateConstant(substituted(text, predefined, fileDefines, seen), fileDefines);
  return value === undefined ? undefined : value !== 0;
}

/** The condition with `defined`, IS_ENABLED() and the target's macros replaced by their values. */
function substituted(text: string, predefined: Predefined, fileDefines: Defines, seen: SeenMacros): string {
  const token = (t: Truth) => (t === undefined ? UNKNOWN : t ? '1' : '0');
  const defined = (name: string) => definedOn(name, predefined, fileDefines, seen);
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
      .replace(/\bKERNEL_VERSION\s*\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)/g, (_, a: string, b: string, c: string) => String(versionCode(Number(a), Number(b), Number(c))))
      .replace(/\b[A-Za-z_]\w*\b/g, (name) => {
        if (fileDefines.has(name)) return name;
        const value = predefined.values.get(name);
        if (value !== undefined) return `(${value})`;
        // An identifier no macro names is 0 in #if (C11 6.10.1).
        return knownUndefined(name, predefined) ? '0' : name;
      })
  );
}

/**
 * Whether `name` is defined at a line: by the file's own lines before it (`seen`), else before
 * its first line. A macro the file defines itself (`fileDefines`) is taken as no header's.
 */
function definedOn(name: string, predefined: Predefined, fileDefines: Defines, seen: SeenMacros): Truth {
  if (seen.has(name)) return seen.get(name);
  if (predefined.values.has(name)) return true;
  return fileDefines.has(name) || knownUndefined(name, predefined) ? false : undefined;
}

function knownUndefined(name: string, predefined: Predefined): boolean {
  return predefined.undefinedNames.has(name) || predefined.closedPrefixes.some((p) => name.startsWith(p));
}
