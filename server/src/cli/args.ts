// Command-line parsing for `klp-lens check|state|object`.
import { parseArgs } from 'node:util';
import type { KernelOptions } from '../kernel/context';
import { DEFAULT_LIMITS, limitFlag, readLimits, type ReadLimits } from '../common/fileRead';

export type Command = 'check' | 'state' | 'object' | 'changed' | 'convert' | 'build' | 'try';
export type Format = 'text' | 'json' | 'sarif';

export interface CliArgs {
  command: Command;
  paths: string[];
  kernel: KernelOptions;
  series?: string;
  format: Format;
  /** klp-lens' cache (the compile check's prepared trees). */
  cache?: string;
  /** convert: where the converted module goes (default: in place, the original kept as .orig). */
  output?: string;
  /** state: compare with the machine whose root this is ("/" for this one). */
  running?: string;
  /** try: the kernel the VM boots (a Debian release, or an image and its modules) and livepatch modules built elsewhere. */
  vm: { release?: string; vmlinuz?: string; modules?: string; kos: string[] };
  /** How much a read or a walk takes at most (--limit-*). */
  limits: ReadLimits;
}

export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const USAGE = `usage: klp-lens check|state|object|changed|convert|build|try [options] PATH...

  check PATH...    report every mistake in the livepatches (patch diffs, .c modules,
                   patched_funcs.csv, directories) at its line
  state PATH...    print the livepatch state after each step of the series
  object FILE...   print the object each kernel source file is built into
  changed PATCH... compile what each patch diff touches before and after it (needs
                   --source and a .config) and print the functions and data GCC
                   changed, beside klp-lens' prediction
  convert MODULE.ko... turn the module's klp symbols (KLP_RELOC_SYMBOL) into the
                   livepatch relocation sections the kernel resolves (the original is
                   kept as MODULE.ko.orig, or use --output FILE)
  build MODULE.c...  build hand-written livepatch modules with the kernel's kbuild
                   (--kernel: its build folder, default /lib/modules/$(uname -r)/build)
                   and convert their klp symbols; the modules go beside the sources
                   or into --output DIR
  try PATH...      run the series on a real kernel under qemu (--vm-kernel, or
                   --vmlinuz and --vm-modules; hand-written modules are built with
                   --kernel's kbuild, others given with --ko) and print each step's
                   real state beside the predicted one (needs qemu-system-x86,
                   busybox-static, cpio, gcc, libc6-dev, make; installs nothing)

options:
  --kernel DIR         kernel build directory (Module.symvers, System.map, .config, *.ko)
  --source DIR         kernel source tree (Makefiles/Kbuild, original sources of diffs)
  --symvers FILE       Module.symvers
  --kallsyms FILE      a /proc/kallsyms dump
  --system-map FILE    System.map
  --vmlinux FILE       an ELF vmlinux (a build tree's, or Debian's -dbg): source files of static functions
  --modules DIR        a folder of the kernel's .ko files
  --config FILE        the kernel's .config
  --kernel-version V   the target's version (6.1.192, or its release): the livepatch
                       rules where kernels differ follow it (else the files say it)
  --series FILE        the load order (quilt-style series file)
  --running            state: compare the series' final state with this machine's
                       livepatches (/sys/kernel/livepatch, /proc/modules)
  --running-root DIR   state: the same, with a snapshot of those files under DIR
  --cache DIR          klp-lens' cache for changed (default ~/.cache/klp-lens)
  --output FILE|DIR    convert: write the converted module there; build: the modules' folder
  --vm-kernel RELEASE  try: a Debian kernel (e.g. 6.1.0-57-amd64): apt-get download
                       fetches linux-image-RELEASE-unsigned into the cache
  --vmlinuz FILE       try: the kernel image to boot instead
  --vm-modules DIR     try: its modules
  --ko FILE            try: a livepatch module built elsewhere (repeatable)
  --format FORMAT      text (default), json, or sarif (check only)
  --limit-text-bytes N, --limit-kernel-bytes N, --limit-decompressed-bytes N,
  --limit-workspace-entries N, --limit-module-entries N
                       the most a file (a patch, a kernel file, once decompressed) or a
                       walk may take; larger input is refused (defaults in the README)
  -h, --help           this text

Kernel files may be plain or .xz/.zst-compressed. Exit status: 0 clean, 1 when an
error-severity finding exists, 2 for bad usage or unreadable input.`;

const LIMIT_KEYS = Object.keys(DEFAULT_LIMITS) as Array<keyof ReadLimits>;

const COMMANDS: readonly string[] = ['check', 'state', 'object', 'changed', 'convert', 'build', 'try'];

export function parseCliArgs(argv: string[]): CliArgs | { help: true } | { error: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        kernel: { type: 'string' },
        source: { type: 'string' },
        symvers: { type: 'string' },
        kallsyms: { type: 'string' },
        'system-map': { type: 'string' },
        vmlinux: { type: 'string' },
        modules: { type: 'string' },
        config: { type: 'string' },
        'kernel-version': { type: 'string' },
        series: { type: 'string' },
        cache: { type: 'string' },
        output: { type: 'string' },
        running: { type: 'boolean' },
        'running-root': { type: 'string' },
        'vm-kernel': { type: 'string' },
        vmlinuz: { type: 'string' },
        'vm-modules': { type: 'string' },
        ko: { type: 'string', multiple: true },
        format: { type: 'string', default: 'text' },
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(LIMIT_KEYS.map((key) => [limitFlag(key), { type: 'string' as const }])),
      },
    });
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  const [command, ...paths] = positionals;
  if (!command) return { error: 'missing command: check, state, object, changed, convert, build or try' };
  if (!COMMANDS.includes(command)) return { error: `unknown command '${command}': expected check, state, object, changed, convert, build or try` };
  const format = values.format;
  if (format !== 'text' && format !== 'json' && !(format === 'sarif' && command === 'check')) {
    return { error: `unknown format '${format}' for ${command}: expected text or json${command === 'check' ? ' or sarif' : ''}` };
  }
  if (paths.length === 0 && !((command === 'check' || command === 'state' || command === 'try') && values.series)) {
    return { error: `${command}: no ${command === 'object' ? 'FILE' : 'PATH'} given` };
  }
  const limits = readLimits(Object.fromEntries(LIMIT_KEYS.map((key) => [key, (values as Record<string, unknown>)[limitFlag(key)]])));
  if ('error' in limits) return { error: `--${limits.error.replace(/^\w+/, (key) => limitFlag(key as keyof ReadLimits))}` };
  return {
    command: command as Command,
    paths,
    limits,
    format,
    series: values.series,
    cache: values.cache,
    output: values.output,
    ...(values.running || values['running-root'] ? { running: values['running-root'] ?? '/' } : {}),
    vm: { release: values['vm-kernel'], vmlinuz: values.vmlinuz, modules: values['vm-modules'], kos: values.ko ?? [] },
    kernel: {
      kernel: values.kernel,
      source: values.source,
      symvers: values.symvers,
      kallsyms: values.kallsyms,
      systemMap: values['system-map'],
      vmlinux: values.vmlinux,
      modules: values.modules,
      config: values.config,
      version: values['kernel-version'],
      limits,
    },
  };
}
