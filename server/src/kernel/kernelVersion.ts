// The target kernel's version, from what the user has (issue 15). Kbuild's KERNELVERSION is
// VERSION.PATCHLEVEL.SUBLEVEL of the top Makefile; kconfig writes it into the .config's header
// (scripts/kconfig/confdata.c conf_write(): "# Linux/<arch> <KERNELVERSION> Kernel
// Configuration"); the release (`uname -r`, include/config/kernel.release, a module's vermagic)
// is KERNELVERSION with the local version appended, except where a distribution names its ABI
// instead: Debian's 6.1.0-56-amd64 runs 6.1.192, RHEL's 4.18.0-553.el8_10 and Ubuntu's
// 5.15.0-105-generic carry backports under a `.0`: that `.0` is no sublevel.

export interface KernelVersion {
  major: number;
  minor: number;
  /** The stable sublevel; undefined when nothing read tells it (a distribution's ABI release). */
  sublevel?: number;
  /** As it was found. */
  text: string;
  /** What it was read from, for the user ("the .config's header"). */
  from: string;
  /** The release (`uname -r`), when known besides: a distribution's backports go by it (RHEL's). */
  release?: string;
}

const VERSION = /^(\d+)\.(\d+)(?:\.(\d+))?(.*)$/;

/** The version a release or KERNELVERSION string names; undefined for what is none. */
export function parseKernelVersion(text: string, from: string): KernelVersion | undefined {
  const found = VERSION.exec(text.trim());
  if (!found) return undefined;
  const [, major, minor, sublevel, rest] = found;
  // `X.Y.0-N...`: a distribution's ABI or build number after a `.0` that stands for no sublevel.
  const abi = sublevel === '0' && /^-\d/.test(rest);
  return { major: Number(major), minor: Number(minor), ...(abi ? {} : { sublevel: Number(sublevel ?? 0) }), text: text.trim(), from };
}

/** KERNELVERSION from a kernel Makefile's VERSION, PATCHLEVEL and SUBLEVEL (EXTRAVERSION aside). */
export function makefileVersion(text: string, from: string): KernelVersion | undefined {
  const field = (name: string) => new RegExp(`^${name}\\s*=\\s*(\\d+)\\s*$`, 'm').exec(text)?.[1];
  const [major, minor, sublevel] = [field('VERSION'), field('PATCHLEVEL'), field('SUBLEVEL')];
  return major && minor ? parseKernelVersion(`${major}.${minor}.${sublevel ?? 0}`, from) : undefined;
}

/** KERNELVERSION from the header kconfig writes at the top of a .config. */
export function configHeaderVersion(text: string): string | undefined {
  return /^# Linux\/\S+ (\d+\.\d+\S*) Kernel Configuration$/m.exec(text.slice(0, 512))?.[1];
}

/**
 * The version the first of `found` names (they come most trusted first), with the sublevel of
 * the first one of the same VERSION.PATCHLEVEL that tells it: Debian's release 6.1.0-56-amd64
 * and its .config's 6.1.192 make 6.1.192.
 */
export function bestVersion(found: ReadonlyArray<KernelVersion | undefined>): KernelVersion | undefined {
  const known = found.filter((v): v is KernelVersion => v !== undefined);
  const first = known[0];
  if (!first || first.sublevel !== undefined) return first;
  const precise = known.find((v) => v.major === first.major && v.minor === first.minor && v.sublevel !== undefined);
  return precise ? { ...first, sublevel: precise.sublevel, from: `${first.from}, its sublevel from ${precise.from}` } : first;
}

/** Whether `v` is at least major.minor[.sublevel] (an unknown sublevel compares as unknown: undefined). */
export function atLeast(v: KernelVersion, major: number, minor: number, sublevel?: number): boolean | undefined {
  if (v.major !== major) return v.major > major;
  if (v.minor !== minor) return v.minor > minor;
  if (sublevel === undefined) return true;
  return v.sublevel === undefined ? undefined : v.sublevel >= sublevel;
}

export function versionText(v: KernelVersion): string {
  return v.sublevel === undefined ? `${v.major}.${v.minor}.y (${v.text})` : `${v.major}.${v.minor}.${v.sublevel}`;
}

/** `sort -V`'s order of two version strings: runs of digits compared as numbers, the rest as text (kpatch-build's rhel_kernel_version_gte()). */
export function compareVersionStrings(a: string, b: string): number {
  const pa = a.split(/(\d+)/);
  const pb = b.split(/(\d+)/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const [x, y] = [pa[i] ?? '', pb[i] ?? ''];
    if (x === y) continue;
    if (i % 2 === 1 && x !== '' && y !== '') return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return 0;
}

/** A RHEL kernel's release, as kpatch-build tells one (kernel_is_rhel(): `.el7`, `.el8`, `.el9`). */
export const isRhelRelease = (text: string) => /\.el[789]/.test(text);
