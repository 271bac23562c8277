// The livepatch model: what one livepatch (a patch diff, a hand-written module,
// or a patched_funcs.csv) asks the kernel's livepatch core to do, with the
// location of every fact so that checks can point at it.
import type { CompilerVerdict } from './compilerAnswer';
import type { LineShift } from './lineShifts';
import type { Problem } from '../common/problem';
import type { Location } from '../common/range';
import type { DiffFile, PatchDiff } from '../syntax/diffTypes';

export type LivepatchKind = 'diff' | 'module' | 'csv';

/** One struct klp_func (or the function a hunk changes, or a csv row). */
export interface PatchedFunction {
  /** 'vmlinux' or the module name: klp_object.name, with NULL read as vmlinux. */
  object: string;
  /** old_name */
  name: string;
  /** old_sympos as written (0 when absent). */
  sympos: number;
  /** The replacement function's identifier (new_func), when known. */
  newFunc?: string;
  /** The klp_func initializer, the hunk's function line, or the csv row. */
  location: Location;
  /** The old_name string literal, when it has a place of its own. */
  nameLocation?: Location;
  /** The .old_sympos initializer, when written. */
  symposLocation?: Location;
  /** For diffs: the kernel source file the function lives in (path inside the tree). */
  sourceFile?: string;
  /**
   * For diffs: the source function this symbol is compiled from, when the compiler named it
   * otherwise (a clone: `foo.isra.0`, `foo.constprop.0`, `foo.part.0`, `foo.cold`).
   */
  sourceFunction?: string;
  /** For diffs: the changed function GCC inlined into this one, which the build patches instead of it. */
  inlinedFrom?: string;
  /** For diffs: the struct whose changed layout moves a member this function reaches (`struct smi_info`). */
  layoutOf?: string;
  /** For csv rows: the cpp condition guarding the entry (e.g. 'IS_ENABLED(CONFIG_BT)'). */
  condition?: string;
  /** For csv rows: the new_func column. */
  newFuncLocation?: Location;
  /** For a part of SUSE's cumulative livepatch (model/suseLayout.ts): the part's directory, whose patched_funcs.csv holds the row. */
  part?: string;
  /** For a part of SUSE's cumulative livepatch: new_func's name where the part's .c files define it; none when they do not. */
  newFuncDefinition?: Location;
}

/** One struct klp_object. */
export interface PatchObject {
  /** klp_object.name as written; null when absent (vmlinux). */
  declaredName: string | null;
  /** 'vmlinux' or the module name. */
  object: string;
  location: Location;
  /** The .name initializer, when written. */
  nameLocation?: Location;
  funcs: PatchedFunction[];
  /** .funcs is set (an object with funcs == NULL is refused with -EINVAL). */
  hasFuncs: boolean;
  /** The funcs array ends with an empty element; undefined when not a hand-written module. */
  funcsTerminated?: boolean;
  /** Names of the callbacks set (pre_patch, post_patch, pre_unpatch, post_unpatch). */
  callbacks: string[];
}

/** One struct klp_state. */
export interface PatchState {
  id: number;
  version: number;
  location: Location;
}

/** An identifier the livepatch's own code references (calls, takes the address of, reads). */
export interface SymbolReference {
  name: string;
  location: Location;
  /** The function of the livepatch whose body holds the reference. */
  inFunction?: string;
  /** The livepatch's own file declares the name (an extern declaration or a prototype), rather than a header. */
  declaredInFile?: boolean;
}

/** A symbol the livepatch declares as a klp symbol (resolved by the livepatch core). */
export interface KlpSymbolDeclaration {
  /** The symbol's name in the target object. */
  name: string;
  /** The object that holds it ('vmlinux' or a module). */
  object: string;
  sympos: number;
  /** The C identifier the livepatch uses for it, when it differs from name. */
  localName?: string;
  spelling: 'KLP_RELOC_SYMBOL' | 'KLP_SYMPOS' | 'asm-label' | 'kallsyms_lookup_name' | 'other';
  /**
   * A symbol the module references through a relocation (KLP_RELOC_SYMBOL, an asm label,
   * KLP_SYMPOS): the object whose livepatch relocation section `.klp.rela.<object>.*` gets it
   * once converted. None for a symbol looked up at run time (kallsyms_lookup_name).
   */
  relocationObject?: string;
  location: Location;
  /**
   * kallsyms_lookup_name("sym") without a "module:" prefix: the kernel searches vmlinux, then
   * every loaded module (kernel/kallsyms.c, kernel/module/kallsyms.c); `object` is then 'vmlinux'.
   */
  anyObject?: boolean;
}

/** A struct klp_func / klp_object / klp_state array a hand-written module defines. */
export interface KlpArrayDeclaration {
  struct: 'klp_func' | 'klp_object' | 'klp_state';
  /** The variable's name; '' for a compound literal such as `(struct klp_func[]) { ... }`. */
  name: string;
  /**
   * Ends with the all-zero element the kernel's iterator stops at (or has room for it in a
   * declared size); undefined when it cannot be read (e.g. elements written with macros).
   */
  terminated?: boolean;
  /** The array's initializer list (or the single struct's, when one struct is used as an array). */
  location: Location;
  /** Zero-width, where a missing terminator belongs: just after the last element. */
  terminatorLocation: Location;
  /** The text that adds the terminator there (`, { }`, or `{ }` in an empty list). */
  terminatorText: string;
  /** One struct (not an array) given where the kernel walks an array (`.objs = &obj`). */
  single?: boolean;
}

/** EXPORT_SYMBOL* in a livepatch module. */
export interface ExportDeclaration {
  name: string;
  macro: string;
  location: Location;
}

export interface Livepatch {
  /** The module name as the kernel shows it (file name without extension, '-' as '_'), unless a series says name=. */
  name: string;
  kind: LivepatchKind;
  /** The file as given (a .patch/.diff, a .c module, or a patched_funcs.csv). */
  file: string;
  replace: boolean;
  /** Where .replace is written; or, when absent, where it belongs (the klp_patch initializer, or the series line). */
  replaceLocation?: Location;
  /** The struct klp_patch definition, the patch's first file header, or the csv's first row. */
  location: Location;
  objects: PatchObject[];
  states: PatchState[];
  /** MODULE_INFO(livepatch, "Y") present; undefined for diffs and csv (the build tools add it). */
  livepatchModinfo?: boolean;
  /** The place to add MODULE_INFO(livepatch, "Y") (e.g. after the last MODULE_* line), for modules. */
  modinfoLocation?: Location;
  exports: ExportDeclaration[];
  /** For hand-written modules: every klp_func/klp_object/klp_state array, in file order. */
  arrays?: KlpArrayDeclaration[];
  references: SymbolReference[];
  /**
   * For diffs: `references` file by file (model/references/diffReferences.ts PatchReferences),
   * each list the same array from one reading of the patch to the next while its file does not
   * change: what is derived from a list is kept per list, and an edit costs the files it changed.
   */
  referenceParts?: ReadonlyArray<readonly SymbolReference[]>;
  /**
   * For diffs: the klp_funcs of each file of `diff.files` (none for a binary file), each list the
   * same array while its file does not change, as referenceParts; a list may repeat a function an
   * earlier file of its path gives (`objects` keeps the first). Undefined when `objects` are not
   * the files' (a compiler's answer regroups them, withCompilerAnswer.ts): a pass over a few
   * thousand functions at every edit of a large patch costs their cache misses, these lists let
   * what is derived per file be kept per file.
   */
  functionParts?: ReadonlyArray<readonly PatchedFunction[]>;
  klpSymbols: KlpSymbolDeclaration[];
  /** For diffs: the parsed diff, with every file, hunk and line at its position, and each file's object. */
  diff?: LivepatchDiff;
  /** For diffs read with the compiler's answer: where the prediction and the compiler differ (withCompilerAnswer.ts). */
  compilerVerdict?: CompilerVerdict;
  /**
   * The klp_funcs the target does not compile, in none of `objects`: csv rows whose condition is
   * false there (fromCsv.ts objectsForTarget()), a module's elements on #if branches it does not
   * take (module/klpStructures.ts).
   */
  leftOut?: readonly LeftOutFunction[];
  problems: Problem[];
}

/** A klp_func the target does not compile, and why. */
export interface LeftOutFunction {
  function: PatchedFunction;
  /** A csv row's condition (register-patches.sh writes it as `#if <condition>`), or a module's `#if`, `#elif` or `#else` line. */
  condition: string;
  conditionLocation: Location;
}

/** A file of a livepatch's diff and the object the kernel builds it into (model/fromDiff.ts; none for a binary file). */
export interface LivepatchDiffFile extends DiffFile {
  readonly object?: string;
  /** How the object was found (kbuild, a symbol table, or a guess). */
  readonly objectReason?: string;
  /** With the original source: the hunks that shift the __LINE__ of later functions (model/lineShifts.ts). */
  readonly lineShifts?: readonly LineShift[];
}

/** The patch diff a livepatch is built from: its files with their objects. */
export interface LivepatchDiff extends PatchDiff {
  readonly files: readonly LivepatchDiffFile[];
}

/** Every klp_func of a livepatch, in declaration order. */
export function functionsOf(lp: Livepatch): readonly PatchedFunction[] {
  return lp.objects.length === 1 ? lp.objects[0].funcs : lp.objects.flatMap((o) => o.funcs);
}

/** Where a diagnostic about a patched function points: its old_name string when it has one, else the whole entry. */
export function anchorOf(f: PatchedFunction): Location {
  return f.nameLocation ?? f.location;
}
