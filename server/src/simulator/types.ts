// The input and output of the series simulator. The output is exactly the
// `klp-lens state --format json` step form (and the oracle's).

export interface SimFunction {
  name: string;
  /** old_sympos as the patch writes it (0 allowed). */
  sympos: number;
  /**
   * The build tools wrote old_sympos from the object file that defines the function (kpatch-build,
   * klp-build): it names that definition, whichever occurrence it is, so a name that occurs
   * several times resolves (a name that does not occur still does not).
   */
  symposFromBuild?: boolean;
}

export interface SimObject {
  /** 'vmlinux' or a module name. */
  name: string;
  funcs: SimFunction[];
  /** funcs == NULL in the module (the kernel refuses the patch). */
  missingFuncs?: boolean;
  /**
   * `.name = "vmlinux"` written out: only a NULL name means vmlinux (kernel/livepatch/core.c
   * klp_is_module() is `return obj->name;`), so this object is a module named vmlinux, which
   * never loads (klp_module_coming() refuses that name).
   */
  namedVmlinux?: boolean;
}

export interface SimState {
  id: number;
  version: number;
}

/** A livepatch as the livepatch core sees it when klp_enable_patch() runs. */
export interface SimPatch {
  name: string;
  replace: boolean;
  objects: SimObject[];
  states: SimState[];
  /** MODULE_INFO(livepatch, "Y"); klp_enable_patch() refuses a module without it. */
  livepatchModinfo: boolean;
  /**
   * Symbols the module takes from other modules through ordinary relocations (modinfo
   * `depends:`): the loader needs those modules loaded and pins them while this one is loaded.
   */
  imports?: ModuleImport[];
  /**
   * Its livepatch relocation sections (`.klp.rela.<object>.<section>`, module-elf-format.rst), in
   * section order: the klp symbols the livepatch core resolves and writes (klpRelocations.ts).
   */
  klpRelocations?: SimKlpRelaSection[];
  /**
   * Undefined symbols that nothing exports and no livepatch relocation section holds (modpost
   * let them pass with KBUILD_MODPOST_WARN, e.g. the klp symbols of a module never converted):
   * the loader refuses the module (kernel/module/main.c simplify_symbols()).
   */
  undefinedSymbols?: string[];
  /**
   * The build tools made no module of it (kpatch-build or klp-build refused the patch diff):
   * there is no .ko file, so insmod fails before the kernel sees anything.
   */
  unbuilt?: boolean;
}

/** A symbol exported by `module` that a livepatch module links against. */
export interface ModuleImport {
  symbol: string;
  module: string;
  /** `module` is a livepatch module of the series (loaded by a load step, not a target module). */
  livepatch?: boolean;
}

/** A livepatch relocation section as the livepatch core reads it. */
export interface SimKlpRelaSection {
  /** The `<object>` of its name: 'vmlinux' (written when the livepatch loads) or a module (when that module is there). */
  object: string;
  /** Its symbols, `.klp.sym.<object>.<name>,<sympos>`, in relocation order. */
  symbols: Array<{ object: string; name: string; sympos: number }>;
  /** ELF64_R_TYPE of its first relocation, when known (the loader names it when it refuses the section). */
  firstType?: number;
}

export type SimStep =
  | { action: 'load'; patch: SimPatch }
  | { action: 'disable' | 'unload' | 'load-module' | 'unload-module'; target: string };

export interface PatchStatus {
  name: string;
  replace: boolean;
  enabled: boolean;
  /** The replace patch that replaced this one, or null. */
  replacedBy: string | null;
}

export interface FunctionStatus {
  object: string;
  name: string;
  /** As sysfs shows it: 0 is shown as 1. */
  sympos: number;
  /** Patch names, newest first. */
  stack: string[];
  /** The patch whose version runs, or null when the original code runs. */
  active: string | null;
}

export interface StepResult {
  action: SimStep['action'];
  target: string;
  ok: boolean;
  /** The kernel's own message when the step fails. */
  error: string | null;
  patches: PatchStatus[];
  functions: FunctionStatus[];
}

/**
 * How the simulator asks about the kernel's symbols, mirroring
 * klp_find_object_symbol(): the number of occurrences of `name` in `object`
 * in walk order, or undefined when the object's symbol table is not known
 * (the simulator then assumes the symbol resolves).
 */
export type SymbolCounter = (object: string, name: string) => number | undefined;

/**
 * Whether ftrace can attach to the `position`-th (1-based) definition of `name` in `object`
 * (the function has an fentry call: not notrace, not in a file built without ftrace), or
 * undefined when unknown (the simulator then assumes it can). Mirrors ftrace_location() in
 * kernel/livepatch/patch.c klp_patch_func().
 */
export type FtraceLocator = (object: string, name: string, position: number) => boolean | undefined;

/**
 * What the simulator may know of the kernel besides the series. analyze() gives the symbol
 * counts of the kernel's tables; the other two are facts of a booted machine that a build's
 * artifacts do not hold (which functions have an fentry call is in vmlinux's __mcount_loc, which
 * modules are loaded is the machine's state): the oracle gives them from the kernel it boots,
 * and without them the simulator assumes every function traceable and every module loaded.
 */
export interface SimulationOptions {
  countSymbol?: SymbolCounter;
  hasFtraceLocation?: FtraceLocator;
  /** Modules that are not loaded at the start (every target module counts as loaded otherwise). */
  initiallyUnloaded?: string[];
  /**
   * Module names the kernel has no module of (a typo, a module built into vmlinux): find_module()
   * never finds them and no insmod can load them, so objects naming them are never patched.
   */
  absentModules?: string[];
  /** Where the target's livepatch core differs from the newest (kernel/capabilities.ts); the newest without it. */
  rules?: KernelRules;
}

/** The rules of the livepatch core that changed between kernels, each as its kernel change left it. */
export interface KernelRules {
  /**
   * klp_find_func() takes old_sympos 0 and 1 as the same function ("livepatch: Match old_sympos
   * 0 and 1 in klp_find_func()", 6.19 and stable backports); before, only the same old_sympos.
   */
  symposZeroIsOne: boolean;
  /**
   * klp_cleanup_module_patches_limited() clears the livepatch relocations of a going module
   * (klp_clear_object_relocs(), 6.3), so that it can be loaded and patched again; before, the
   * places kept their values and apply_relocate_add() refused them when it came back.
   */
  clearsModuleRelocations: boolean;
  /**
   * The attribute files of a patch's sysfs directory besides enabled, transition and force
   * (klp_patch_attrs): replace since 6.11, stack_order since 6.14. An object of that name
   * collides with the file (kobject_add() -EEXIST).
   */
  patchAttributes: readonly string[];
  /** lib/kobject.c's lines carry the prefix "kobject: " (its pr_fmt; absent in 6.1, present in 6.12). */
  kobjectLogPrefix: boolean;
}

export const NEWEST_RULES: KernelRules = { symposZeroIsOne: true, clearsModuleRelocations: true, patchAttributes: ['replace', 'stack_order'], kobjectLogPrefix: true };

/** struct klp_func; `nop` marks the ones klp_add_nops() allocates. */
export interface KlpFunc {
  name: string;
  sympos: number;
  nop: boolean;
  /** SimFunction.symposFromBuild. */
  symposFromBuild?: boolean;
}

/** struct klp_object; `dynamic` marks the ones klp_add_nops() allocates. */
export interface KlpObject {
  name: string;
  funcs: KlpFunc[];
  dynamic: boolean;
  /** A module object named "vmlinux" (SimObject.namedVmlinux). */
  namedVmlinux?: boolean;
}
