// #if lines evaluated for the target (syntax/cConditions.ts through readMacros), with the target's
// predefined macros of model/targetMacros.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseKernelVersion } from '../../../server/src/kernel/kernelVersion';
import { predefinedFromConfig } from '../../../server/src/model/targetMacros';
import { preprocessorRegions, type Predefined } from '../../../server/src/syntax/cConditions';
import { readMacros } from '../../../server/src/syntax/cMacros';
import { CParser } from '../../../server/src/syntax/treeSitter';

let parser: CParser;
beforeAll(async () => {
  parser = await CParser.create();
});

const macros = (text: string, predefined?: Predefined) => parser.withTree(text, (t) => readMacros(t.rootNode, predefined))!;
const config = (lines: Record<string, string>) => predefinedFromConfig(new Map(Object.entries(lines)));

/** tools/testing/selftests/livepatch/test_modules/test_klp_syscall.c (Linux 6.12). */
const FN_PREFIX = `#if defined(__x86_64__)
#define FN_PREFIX __x64_
#elif defined(__s390x__)
#define FN_PREFIX __s390x_
#elif defined(__aarch64__)
#define FN_PREFIX __arm64_
#else
/* powerpc does not select ARCH_HAS_SYSCALL_WRAPPER */
#define FN_PREFIX
#endif
`;

describe('readMacros with the target\'s #if lines', () => {
  it('keeps every definition without a target, as before', () => {
    expect(macros(FN_PREFIX).objectLike.get('FN_PREFIX')).toEqual(['__x64_', '__s390x_', '__arm64_', '']);
  });

  it('keeps the branch of the target\'s architecture only, #elif and #else included', () => {
    expect(macros(FN_PREFIX, config({ CONFIG_X86_64: 'y', CONFIG_X86: 'y' })).objectLike.get('FN_PREFIX')).toEqual(['__x64_']);
    expect(macros(FN_PREFIX, config({ CONFIG_S390: 'y' })).objectLike.get('FN_PREFIX')).toEqual(['__s390x_']);
    expect(macros(FN_PREFIX, config({ CONFIG_ARM64: 'y' })).objectLike.get('FN_PREFIX')).toEqual(['__arm64_']);
    expect(macros(FN_PREFIX, config({ CONFIG_PPC64: 'y' })).objectLike.get('FN_PREFIX')).toEqual(['']);
  });

  it('assumes x86-64 without a .config, and keeps all where the .config names no architecture it knows', () => {
    expect(macros(FN_PREFIX, predefinedFromConfig(undefined)).objectLike.get('FN_PREFIX')).toEqual(['__x64_']);
    expect(macros(FN_PREFIX, config({ CONFIG_SPARC: 'y' })).objectLike.get('FN_PREFIX')).toEqual(['__x64_', '__s390x_', '__arm64_', '']);
  });

  it('reads CONFIG_ options as autoconf.h defines them once the .config is known, and keeps them open without it', () => {
    const text = '#ifdef CONFIG_A\n#define X a\n#endif\n#ifndef CONFIG_B\n#define Y b\n#endif\n#if IS_ENABLED(CONFIG_C) && !IS_BUILTIN(CONFIG_C)\n#define Z c\n#endif\n#if CONFIG_NR > 4\n#define W w\n#endif\n';
    const known = macros(text, config({ CONFIG_X86_64: 'y', CONFIG_A: 'y', CONFIG_C: 'm', CONFIG_NR: '8' }));
    expect(Object.fromEntries(known.objectLike)).toEqual({ X: ['a'], Y: ['b'], Z: ['c'], W: ['w'] });
    const other = macros(text, config({ CONFIG_X86_64: 'y', CONFIG_B: 'y', CONFIG_C: 'y', CONFIG_NR: '2' }));
    expect(Object.fromEntries(other.objectLike)).toEqual({});
    const unknown = macros(text, predefinedFromConfig(undefined));
    expect([...unknown.objectLike.keys()].sort()).toEqual(['W', 'X', 'Y', 'Z']);
  });

  it('keeps a definition whose condition names a macro it cannot know (a header\'s), and what follows it in the chain', () => {
    const text = '#if defined(HEADER_MACRO)\n#define P one\n#elif defined(__x86_64__)\n#define P two\n#else\n#define P three\n#endif\n';
    expect(macros(text, predefinedFromConfig(undefined)).objectLike.get('P')).toEqual(['one', 'two']);
  });

  it('leaves out what a branch the target never takes holds, nested and function-like macros included', () => {
    const text = '#ifdef __aarch64__\n#if 1\n#define Q arm\n#define SYM(x) __arm64_sys_##x\n#endif\n#else\n#define SYM(x) __x64_sys_##x\n#endif\n#if 0\n#define R never\n#endif\n';
    const table = macros(text, predefinedFromConfig(undefined));
    expect(table.objectLike.has('Q')).toBe(false);
    expect(table.objectLike.has('R')).toBe(false);
    expect([...table.functionLike]).toEqual(['SYM']);
  });

  it('reads an #if on a macro the file defines through its value, and defined() of it from the lines before', () => {
    const text = '#define LEVEL 3\n#if LEVEL > 2\n#define A high\n#endif\n#if LEVEL < 2\n#define B low\n#endif\n#ifdef LEVEL\n#define C yes\n#endif\n#ifndef LEVEL\n#define D no\n#endif\n';
    expect([...macros(text, predefinedFromConfig(undefined)).objectLike.keys()].sort()).toEqual(['A', 'C', 'LEVEL']);
    // #undef; a macro defined on a branch not known is not known after it; one the file defines only later is not
    // defined before (the file's own macro is no header's), one it never defines may come from a header.
    const order = '#define X 1\n#undef X\n#ifdef X\n#define E e\n#endif\n#ifdef HEADER_Y\n#define Z 1\n#endif\n#ifdef Z\n#define F f\n#endif\n#ifdef LATER\n#define G g\n#endif\n#define LATER 1\n#ifdef HEADER_W\n#define H h\n#endif\n';
    expect([...macros(order, predefinedFromConfig(undefined)).objectLike.keys()].sort()).toEqual(['F', 'H', 'LATER', 'X', 'Z']);
  });

  it('reads LINUX_VERSION_CODE and KERNEL_VERSION() with the target\'s version (the sublevel capped at 255), and not without its sublevel', () => {
    // hackman/kernel-livepatches' modules: the kprobe fallback for kallsyms_lookup_name from 5.7.
    const text = '#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 7, 0)\n# define NEED_KPROBE_FALLBACK 1\n#endif\n#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 1, 0)\n#define OLD_API 1\n#endif\n';
    const on = (version: string) => [...macros(text, predefinedFromConfig(undefined, parseKernelVersion(version, 'the test'))).objectLike.keys()].sort();
    expect(on('6.1.192')).toEqual(['NEED_KPROBE_FALLBACK']);
    expect(on('4.19.300')).toEqual(['OLD_API']);
    expect(on('6.1.0-56-amd64')).toEqual(['NEED_KPROBE_FALLBACK', 'OLD_API']);
    const capped = '#if LINUX_VERSION_CODE == KERNEL_VERSION(4, 9, 255)\n#define CAPPED 1\n#endif\n';
    expect(macros(capped, predefinedFromConfig(undefined, parseKernelVersion('4.9.337', 'the test'))).objectLike.has('CAPPED')).toBe(true);
  });
});

describe('preprocessorRegions', () => {
  it('gives each line its region, with the line that leaves a region out; continuations joined, block comments and stray lines skipped', () => {
    const lines = [
      '#if defined(__aarch64__)',
      'a',
      '#elif IS_ENABLED(CONFIG_A) \\',
      '   && 1',
      'b',
      '#else',
      'c',
      '#endif',
      '/*',
      '#if 0',
      '*/',
      'd',
      '#endif',
      '#ifdef HEADER_X',
      'e',
      '#if 0 /* never */',
      'f',
      '#endif',
      '#endif',
    ];
    const region = preprocessorRegions(lines.join('\n'), config({ CONFIG_X86_64: 'y', CONFIG_A: 'y' }), new Map());
    const at = (text: string) => region(lines.indexOf(text));
    expect(at('a')).toEqual({ truth: false, directive: { line: 0, text: '#if defined(__aarch64__)' } });
    expect(at('b')).toEqual({ truth: true });
    expect(at('c')).toEqual({ truth: false, directive: { line: 5, text: '#else' } });
    expect(at('d')).toEqual({ truth: true });
    expect(at('e')).toEqual({ truth: undefined });
    expect(at('f')).toEqual({ truth: false, directive: { line: 15, text: '#if 0 /* never */' } });
  });
});
