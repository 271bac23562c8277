// The target kernel's version (server/src/kernel/kernelVersion.ts) and what its livepatch core
// does where kernels differ (capabilities.ts): one case per version-dependent rule, each at the
// version its kernel change names, the source tree's code deciding first.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kernelCapabilities, type CapabilityId } from '../../../server/src/kernel/capabilities';
import { loadKernelContext } from '../../../server/src/kernel/context';
import { bestVersion, compareVersionStrings, configHeaderVersion, makefileVersion, parseKernelVersion } from '../../../server/src/kernel/kernelVersion';

const version = (text: string) => parseKernelVersion(text, 'test')!;
const has = (text: string | undefined, id: CapabilityId) => kernelCapabilities(text === undefined ? undefined : version(text))[id];

describe('the kernel version', () => {
  it('reads releases and KERNELVERSION: a distribution ABI `.0-N` tells no sublevel', () => {
    expect(parseKernelVersion('6.1.192', 'x')).toMatchObject({ major: 6, minor: 1, sublevel: 192 });
    expect(parseKernelVersion('6.12.107+deb12-amd64', 'x')).toMatchObject({ major: 6, minor: 12, sublevel: 107 });
    expect(parseKernelVersion('6.13.0-rc1', 'x')).toMatchObject({ major: 6, minor: 13, sublevel: 0 });
    expect(parseKernelVersion('6.1.0-56-amd64', 'x')?.sublevel).toBeUndefined();
    expect(parseKernelVersion('4.18.0-553.el8_10.x86_64', 'x')).toMatchObject({ major: 4, minor: 18 });
    expect(parseKernelVersion('4.18.0-553.el8_10.x86_64', 'x')?.sublevel).toBeUndefined();
    expect(parseKernelVersion('5.15.0-105-generic', 'x')?.sublevel).toBeUndefined();
    expect(parseKernelVersion('linux', 'x')).toBeUndefined();
  });

  it('takes the sublevel from a less trusted source of the same line', () => {
    const best = bestVersion([undefined, parseKernelVersion('6.1.0-56-amd64', 'the release'), parseKernelVersion('6.1.192', "the .config's header")]);
    expect(best).toMatchObject({ major: 6, minor: 1, sublevel: 192, text: '6.1.0-56-amd64' });
    expect(bestVersion([parseKernelVersion('6.12.0-1-amd64', 'a'), parseKernelVersion('6.1.192', 'b')])?.sublevel).toBeUndefined();
  });

  it("reads the .config's header and a Makefile as kconfig and kbuild write them", () => {
    expect(configHeaderVersion('#\n# Automatically generated file; DO NOT EDIT.\n# Linux/x86 6.1.192 Kernel Configuration\n#\n')).toBe('6.1.192');
    expect(makefileVersion('# SPDX\nVERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 118\nEXTRAVERSION =\n', 'm')).toMatchObject({ major: 6, minor: 12, sublevel: 118 });
    expect(makefileVersion('obj-y += a.o\n', 'm')).toBeUndefined();
  });

  it("orders RHEL releases as kpatch-build's sort -V does", () => {
    expect(compareVersionStrings('4.18.0-553.el8_10.x86_64', '4.18.0-193.el8')).toBeGreaterThan(0);
    expect(compareVersionStrings('4.18.0-147.el8', '4.18.0-193.el8')).toBeLessThan(0);
    expect(compareVersionStrings('5.14.0-70.el9', '4.18.0-284.el8')).toBeGreaterThan(0);
  });
});

describe('the capabilities of a target', () => {
  it.each<[CapabilityId, string, string, boolean, boolean]>([
    // id, the last version without, the first with (mainline), has before, has after
    ['atomic-replace', '5.0.21', '5.1.0', false, true], // "livepatch: Add atomic replace"
    ['states', '5.4.280', '5.5.0', false, true], // "livepatch: Basic API to track system state changes"
    ['klp-arch-sections', '5.7.19', '5.8.0', true, false], // "livepatch: Remove .klp.arch"
    ['module-reload', '6.2.16', '6.3.0', false, true], // "livepatch,x86: Clear relocation targets on a module removal"
    ['transition-state-names', '6.9.12', '6.10.0', false, true], // "livepatch: Rename KLP_* to KLP_TRANSITION_*"
    ['sysfs-replace', '6.10.14', '6.11.0', false, true], // "livepatch: Add "replace" sysfs attribute"
    ['sysfs-stack-order', '6.13.12', '6.14.0', false, true], // "livepatch: Add stack_order sysfs attribute"
    ['sympos-zero-is-one', '6.18.0', '6.19.0', false, true], // 139560e8b973
  ])('%s: changes between %s and %s', (id, before, after, hadBefore, hasAfter) => {
    expect([has(before, id).has, has(after, id).has]).toEqual([hadBefore, hasAfter]);
    expect(has(after, id)).toMatchObject({ decidedBy: 'version' });
  });

  it('old_sympos 0 and 1: on the stable lines it was backported to, from the first sublevel known to have it', () => {
    expect([has('6.12.63', 'sympos-zero-is-one').has, has('6.12.64', 'sympos-zero-is-one').has]).toEqual([false, true]);
    expect([has('6.1.169', 'sympos-zero-is-one').has, has('6.1.170', 'sympos-zero-is-one').has]).toEqual([false, true]);
    expect([has('5.15.197', 'sympos-zero-is-one').has, has('5.15.198', 'sympos-zero-is-one').has]).toEqual([false, true]);
    // Debian's ABI release names no sublevel: the newest behaviour, said to be assumed.
    expect(has('6.1.0-56-amd64', 'sympos-zero-is-one')).toMatchObject({ has: true, decidedBy: 'assumed' });
    // A line it was not backported to.
    expect(has('6.13.5', 'sympos-zero-is-one').has).toBe(false);
  });

  it("RHEL's releases by kpatch-build's gates: replace from 4.18.0-193.el8, no .klp.arch from 4.18.0-284.el8", () => {
    expect(has('4.18.0-147.el8.x86_64', 'atomic-replace').has).toBe(false);
    expect(has('4.18.0-193.el8.x86_64', 'atomic-replace').has).toBe(true);
    expect(has('4.18.0-240.el8.x86_64', 'klp-arch-sections').has).toBe(true);
    expect(has('4.18.0-305.el8.x86_64', 'klp-arch-sections').has).toBe(false);
    // The release decides even when the .config's header gave the version.
    const fromConfig = { ...version('4.18.0'), release: '4.18.0-553.el8_10.x86_64' };
    expect(kernelCapabilities(fromConfig)['atomic-replace'].has).toBe(true);
  });

  it('an unknown version: the newest behaviour of every rule, said to be assumed', () => {
    const all = kernelCapabilities(undefined);
    expect(all['module-reload']).toMatchObject({ has: true, decidedBy: 'assumed' });
    expect(all['klp-arch-sections']).toMatchObject({ has: false, decidedBy: 'assumed' });
    expect(all['sysfs-stack-order'].because).toMatch(/not known: the newest behaviour is assumed/);
  });

  it("the source tree's own code decides over the version", () => {
    const core = 'static void klp_clear_object_relocs(struct klp_patch *patch,\n\t\t\t\t    struct klp_object *obj)\n{';
    const sources: Record<string, string> = { 'kernel/livepatch/core.c': core, 'include/linux/livepatch.h': '#define KLP_UNDEFINED\t-1\n' };
    const found = kernelCapabilities(version('6.1.192'), (file) => sources[file]);
    expect(found['module-reload']).toMatchObject({ has: true, decidedBy: 'source' });
    expect(found['transition-state-names']).toMatchObject({ has: false, decidedBy: 'source' });
    // A rule without deciding lines, or a file the tree lacks: the version.
    expect(found['klp-arch-sections'].decidedBy).toBe('version');
    expect(kernelCapabilities(version('6.1.192'), () => undefined)['module-reload']).toMatchObject({ has: false, decidedBy: 'version' });
  });

  // The deciding lines as two real kernels write them: Debian's 6.1.170 and 6.12 source packages (the build tier fetches 6.1's).
  it.each([
    ['6.1', '../../../.cache/build/linux-source-6.1.170-3', { 'sympos-zero-is-one': true, 'module-reload': false, 'transition-state-names': false, 'sysfs-replace': false, 'sysfs-stack-order': false, 'atomic-replace': true, states: true }],
  ])("reads Debian's %s source tree", (_, tree, expected) => {
    const dir = path.resolve(__dirname, tree);
    if (!existsSync(dir)) return console.warn(`[klp-lens tests] ${dir} is absent (the build tier fetches it): the source rules are not read from it`);
    const found = kernelCapabilities(undefined, (file) => (existsSync(path.join(dir, file)) ? readFileSync(path.join(dir, file), 'utf8') : undefined));
    for (const [id, value] of Object.entries(expected)) expect([id, found[id as CapabilityId]]).toEqual([id, expect.objectContaining({ has: value, decidedBy: 'source' })]);
  });
});

describe("the target's version as a kernel load finds it", () => {
  it("reads a build tree's include/generated/utsrelease.h, and the .config's header for the sublevel a Debian release lacks", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'klp-version-'));
    try {
      mkdirSync(path.join(dir, 'include', 'generated'), { recursive: true });
      writeFileSync(path.join(dir, 'include', 'generated', 'utsrelease.h'), '#define UTS_RELEASE "6.1.0-56-amd64"\n');
      writeFileSync(path.join(dir, 'Module.symvers'), '0x12345678\tschedule\tvmlinux\tEXPORT_SYMBOL\t\n');
      const alone = await loadKernelContext({ kernel: dir, indexDir: false });
      expect(alone.release).toBe('6.1.0-56-amd64');
      expect(alone.capabilities.version).toMatchObject({ major: 6, minor: 1, from: 'the kernel release' });
      expect(alone.capabilities.version?.sublevel).toBeUndefined();
      expect(alone.capabilities['sympos-zero-is-one'].decidedBy).toBe('assumed');
      writeFileSync(path.join(dir, '.config'), '#\n# Automatically generated file; DO NOT EDIT.\n# Linux/x86 6.1.150 Kernel Configuration\n#\nCONFIG_LIVEPATCH=y\n');
      const configured = await loadKernelContext({ kernel: dir, indexDir: false });
      expect(configured.capabilities.version).toMatchObject({ major: 6, minor: 1, sublevel: 150, from: "the .config's header" });
      expect(configured.capabilities['sympos-zero-is-one']).toMatchObject({ has: false, decidedBy: 'version' });
      // A version setting over both; one that is none is said and not used.
      expect((await loadKernelContext({ kernel: dir, indexDir: false, version: '6.12.118' })).capabilities['module-reload'].has).toBe(true);
      const wrong = await loadKernelContext({ kernel: dir, indexDir: false, version: 'latest' });
      expect(wrong.problems.map((p) => p.message)).toContain('the kernel version setting "latest" is no kernel version (like 6.1.192 or 6.1.0-56-amd64): not used');
      expect(wrong.capabilities.version?.sublevel).toBe(150);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
