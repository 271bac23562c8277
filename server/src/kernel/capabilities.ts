// What the target kernel's livepatch core does where kernels differ (issue 15). Each rule names
// the kernel change that made it so; the simulator and the checks ask this, not a version. A
// source tree's own code decides first (the deciding lines of kernel/livepatch/core.c and
// include/linux/livepatch.h), then the version (kernelVersion.ts); with neither, the newest
// behaviour, and every shell says that it was assumed.
import { atLeast, compareVersionStrings, isRhelRelease, type KernelVersion, versionText } from './kernelVersion';

export type CapabilityId =
  | 'atomic-replace'
  | 'states'
  | 'klp-arch-sections'
  | 'module-reload'
  | 'transition-state-names'
  | 'sysfs-replace'
  | 'sysfs-stack-order'
  | 'sympos-zero-is-one'
  | 'kobject-log-prefix';

interface Rule {
  /** What the kernel does when it has it. */
  title: string;
  /** The mainline release that brought it (or, with `removed`, took it away). */
  since: readonly [number, number];
  removed?: boolean;
  /** The change, as its commit is titled. */
  change: string;
  /** Stable lines it was backported to: the first sublevel known to have it, and how that is known. */
  backports?: ReadonlyArray<{ line: readonly [number, number]; from: number; known: string }>;
  /** RHEL's backport: the first release with it (or, with `removed`, without it), as kpatch-build gates it. */
  rhel?: string;
  /** Whether the source tree's code has it; undefined when the file does not say (absent, unreadable). */
  inSource?: (read: (file: string) => string | undefined) => boolean | undefined;
}

const fileHas = (file: string, pattern: RegExp) => (read: (file: string) => string | undefined) => {
  const text = read(file);
  return text === undefined ? undefined : pattern.test(text);
};

const CORE = 'kernel/livepatch/core.c';
const HEADER = 'include/linux/livepatch.h';

export const RULES: Readonly<Record<CapabilityId, Rule>> = {
  'atomic-replace': {
    title: 'atomic replace (klp_patch.replace: the new patch replaces every earlier one)',
    since: [5, 1],
    change: '"livepatch: Add atomic replace"',
    rhel: '4.18.0-193.el8',
    inSource: fileHas(HEADER, /^\s*bool\s+replace;/m),
  },
  states: {
    title: 'system states (klp_patch.states, struct klp_state)',
    since: [5, 5],
    change: '"livepatch: Basic API to track system state changes"',
    inSource: fileHas(HEADER, /^struct klp_state \{/m),
  },
  'klp-arch-sections': {
    title: '.klp.arch sections (arch-specific relocations applied by the livepatch core)',
    since: [5, 8],
    removed: true,
    change: '"livepatch: Remove .klp.arch"',
    rhel: '4.18.0-284.el8',
  },
  'module-reload': {
    title: 'a patched module loaded again after its removal (the livepatch relocations it had are cleared when it goes)',
    since: [6, 3],
    change: '"livepatch,x86: Clear relocation targets on a module removal" (klp_clear_object_relocs())',
    inSource: fileHas(CORE, /\bklp_clear_object_relocs\s*\(/),
  },
  'transition-state-names': {
    title: 'the transition states spelled KLP_TRANSITION_IDLE, KLP_TRANSITION_UNPATCHED, KLP_TRANSITION_PATCHED (KLP_UNDEFINED, KLP_UNPATCHED, KLP_PATCHED before)',
    since: [6, 10],
    change: '"livepatch: Rename KLP_* to KLP_TRANSITION_*"',
    inSource: fileHas(HEADER, /^#define\s+KLP_TRANSITION_IDLE\b/m),
  },
  'sysfs-replace': {
    title: 'the sysfs attribute /sys/kernel/livepatch/<patch>/replace',
    since: [6, 11],
    change: '"livepatch: Add "replace" sysfs attribute"',
    inSource: fileHas(CORE, /\breplace_show\s*\(/),
  },
  'sysfs-stack-order': {
    title: 'the sysfs attribute /sys/kernel/livepatch/<patch>/stack_order',
    since: [6, 14],
    change: '"livepatch: Add stack_order sysfs attribute"',
    inSource: fileHas(CORE, /\bstack_order_show\s*\(/),
  },
  'sympos-zero-is-one': {
    title: 'klp_find_func() taking old_sympos 0 and 1 as the same function (a replace patch gets no nop, and no duplicate sysfs entry, for the other spelling)',
    since: [6, 19],
    change: '"livepatch: Match old_sympos 0 and 1 in klp_find_func()" (139560e8b973)',
    backports: [
      { line: [6, 12], from: 64, known: "stable 6.12.64 (Debian's linux 6.12.69-1 changelog)" },
      { line: [6, 1], from: 170, known: "Debian's linux-source-6.1 6.1.170-3 has it (kernel/livepatch/core.c); an earlier first 6.1.y is not known here" },
      { line: [5, 15], from: 198, known: 'stable 5.15.198 (its review series)' },
    ],
    inSource: fileHas(CORE, /old_sympos == 0 && func->old_sympos == 1/),
  },
  'kobject-log-prefix': {
    title: 'lib/kobject.c logging with the prefix "kobject: " (its pr_fmt), as in "kobject: kobject_add_internal failed for ..."',
    since: [6, 12],
    change: "lib/kobject.c's pr_fmt (absent in Debian's 6.1.170, present in its 6.12.118; the first release with it in between is not known here)",
    inSource: fileHas('lib/kobject.c', /^#define pr_fmt\(fmt\) KBUILD_MODNAME ": " fmt$/m),
  },
};

/** Whether the target has a capability, and why that is believed. */
export interface Capability {
  has: boolean;
  /** The kernel's own code said so, the version did, or neither could (then `has` is the newest behaviour). */
  decidedBy: 'source' | 'version' | 'assumed';
  because: string;
}

export type KernelCapabilities = Readonly<Record<CapabilityId, Capability>> & {
  /** The version the rules were decided by, when known. */
  version?: KernelVersion;
};

/**
 * Each capability of a target of `version` (undefined: unknown) whose source tree reads as
 * `read` (relative paths; undefined without a tree or for a file it lacks).
 */
export function kernelCapabilities(version: KernelVersion | undefined, read?: (file: string) => string | undefined): KernelCapabilities {
  const out = {} as Record<CapabilityId, Capability>;
  for (const [id, rule] of Object.entries(RULES) as Array<[CapabilityId, Rule]>) out[id] = decide(rule, version, read);
  return { ...out, ...(version ? { version } : {}) };
}

function decide(rule: Rule, version: KernelVersion | undefined, read?: (file: string) => string | undefined): Capability {
  const newest = !rule.removed;
  const fromSource = read && rule.inSource?.(read);
  if (fromSource !== undefined) return { has: fromSource, decidedBy: 'source', because: `the source tree's code (${rule.change})` };
  const mainline = `Linux ${rule.since[0]}.${rule.since[1]}, ${rule.change}`;
  if (!version) return { has: newest, decidedBy: 'assumed', because: `the target's version is not known: the newest behaviour is assumed (${mainline})` };
  const target = `the target is ${versionText(version)} (${version.from})`;
  // kpatch-build support_klp_replace(), use_klp_arch(): a RHEL release by its own number.
  const release = version.release ?? version.text;
  if (rule.rhel && isRhelRelease(release)) {
    const reached = compareVersionStrings(release, rule.rhel) >= 0;
    return { has: reached ? newest : !newest, decidedBy: 'version', because: `RHEL ${reached ? 'since' : 'before'} ${rule.rhel} (kpatch-build's gate), of ${mainline}; ${target}` };
  }
  if (atLeast(version, ...rule.since)) return { has: newest, decidedBy: 'version', because: `${mainline}; ${target}` };
  const backport = rule.backports?.find((b) => b.line[0] === version.major && b.line[1] === version.minor);
  if (!backport) return { has: !newest, decidedBy: 'version', because: `before ${mainline}; ${target}` };
  const reached = atLeast(version, backport.line[0], backport.line[1], backport.from);
  if (reached === undefined) return { has: newest, decidedBy: 'assumed', because: `backported to ${backport.line.join('.')}.y (${backport.known}), and the target's sublevel is not known: the newest behaviour is assumed; ${target}` };
  return { has: reached ? newest : !newest, decidedBy: 'version', because: `${reached ? '' : 'before '}${backport.known}, of ${mainline}; ${target}` };
}

/**
 * One line for the user: the version the livepatch rules follow, and the rules the newest
 * behaviour was assumed for (all of them when the version is not known).
 */
export function rulesSummary(capabilities: KernelCapabilities): string {
  const ids = Object.keys(RULES) as CapabilityId[];
  const assumed = ids.filter((id) => capabilities[id].decidedBy === 'assumed');
  const fromSource = ids.some((id) => capabilities[id].decidedBy === 'source') ? ", the source tree's livepatch code where it tells" : '';
  const { version } = capabilities;
  if (!version) return `livepatch rules: kernel version not known, the newest behaviour is assumed${fromSource}`;
  const base = `livepatch rules of ${versionText(version)} (${version.from}${fromSource})`;
  return assumed.length > 0 ? `${base}; the newest behaviour assumed for ${assumed.join(', ')}` : base;
}

/** The newest behaviour of every rule: what the engine does without a kernel. */
export const NEWEST: KernelCapabilities = kernelCapabilities(undefined);
