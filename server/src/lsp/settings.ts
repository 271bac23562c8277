// The one settings schema: package.json's contributes.configuration is kept identical to
// SETTINGS_SCHEMA by a test, and the server reads its settings through readSettings().
import type { Severity } from '../common/problem';
import { DEFAULT_LIMITS, readLimits, type ReadLimits } from '../common/fileRead';

type SettingSchema =
  | { type: 'string'; default: string; description: string; enum?: string[]; scope: 'resource' | 'window' }
  | { type: 'object'; default: Record<string, never>; description: string; additionalProperties: { type: 'string'; enum: string[] }; scope: 'resource' }
  | {
      type: 'object';
      default: Record<string, never>;
      description: string;
      properties: Record<string, { type: 'integer'; minimum: number }>;
      additionalProperties: false;
      scope: 'machine';
    };

const SEVERITIES = ['error', 'warning', 'information', 'hint', 'off'];

export const SETTINGS_SCHEMA: Record<string, SettingSchema> = {
  'klpLens.kernel.buildDir': {
    type: 'string',
    default: '',
    scope: 'resource',
    description:
      'Kernel build directory (Module.symvers, System.map, .config, *.ko), /lib/modules/<release>/build, or a folder of kernel artifacts. Empty: the running kernel\'s /lib/modules/$(uname -r)/build when installed.',
  },
  'klpLens.kernel.sourceDir': { type: 'string', default: '', scope: 'resource', description: 'Kernel source tree: Makefiles/Kbuild, and the original sources of patched functions.' },
  'klpLens.kernel.symvers': { type: 'string', default: '', scope: 'resource', description: 'Module.symvers (plain or .xz/.zst).' },
  'klpLens.kernel.kallsyms': { type: 'string', default: '', scope: 'resource', description: 'A /proc/kallsyms dump (plain or .xz/.zst).' },
  'klpLens.kernel.systemMap': { type: 'string', default: '', scope: 'resource', description: 'System.map (plain or .xz/.zst).' },
  'klpLens.kernel.vmlinux': {
    type: 'string',
    default: '',
    scope: 'resource',
    description:
      "An ELF vmlinux with its symbol table (a build tree's, or Debian's linux-image-<release>-dbg, found in /usr/lib/debug by itself): the source file of each occurrence of a static function, shown with the old_sympos choices.",
  },
  'klpLens.kernel.modulesDir': { type: 'string', default: '', scope: 'resource', description: "A folder of the kernel's .ko files (.ko, .ko.xz, .ko.zst)." },
  'klpLens.kernel.config': { type: 'string', default: '', scope: 'resource', description: "The kernel's .config (plain or .xz)." },
  'klpLens.kernel.version': {
    type: 'string',
    default: '',
    scope: 'resource',
    description:
      "The target kernel's version (6.1.192, or its release such as 6.1.0-56-amd64): the livepatch rules that differ between kernels follow it. Empty: the source tree's Makefile, the .config's header or the release tell it; with none, the newest rules are assumed (the status says so).",
  },
  'klpLens.series': {
    type: 'string',
    default: '',
    scope: 'resource',
    description: 'The series file giving the load order. Empty: a file named `series` at the workspace root, else the livepatches in path order.',
  },
  'klpLens.limits': {
    type: 'object',
    default: {},
    scope: 'machine',
    description:
      'The most klp-lens reads or walks; larger input is refused with a diagnostic that says why. textBytes: a patch, module source, csv or series file (default 32 MiB); kernelBytes: a kernel file as stored (256 MiB); decompressedBytes: a compressed kernel file once decompressed (512 MiB); workspaceEntries: the entries a walk of the workspace visits (50,000); moduleEntries: those a walk of a modules folder visits (500,000).',
    properties: {
      textBytes: { type: 'integer', minimum: 1 },
      kernelBytes: { type: 'integer', minimum: 1 },
      decompressedBytes: { type: 'integer', minimum: 1 },
      workspaceEntries: { type: 'integer', minimum: 1 },
      moduleEntries: { type: 'integer', minimum: 1 },
    },
    additionalProperties: false,
  },
  'klpLens.severity': {
    type: 'object',
    default: {},
    scope: 'resource',
    description: 'Severity per check id, e.g. {"missing-replace": "error", "inline-function": "off"}.',
    additionalProperties: { type: 'string', enum: SEVERITIES },
  },
  'klpLens.trace.server': {
    type: 'string',
    default: 'off',
    scope: 'window',
    enum: ['off', 'messages', 'verbose'],
    description: 'Traces the communication between VS Code and the klp-lens language server.',
  },
};

export interface KernelSettings {
  buildDir: string;
  sourceDir: string;
  symvers: string;
  kallsyms: string;
  systemMap: string;
  vmlinux: string;
  modulesDir: string;
  config: string;
  version: string;
}

export interface Settings {
  kernel: KernelSettings;
  limits: ReadLimits;
  series: string;
  severity: Record<string, Severity | 'off'>;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** klpLens.limits as given, each malformed value left at its default. */
function readLimitsOrDefault(value: unknown): ReadLimits {
  const given = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as Array<keyof ReadLimits>) {
    const one = readLimits({ [key]: given[key] });
    if (!('error' in one)) limits[key] = one[key];
  }
  return limits;
}

/** Reads the `klpLens` section as a client sends it (workspace/configuration); anything malformed falls back to the default. */
export function readSettings(section: unknown): Settings {
  const s = (section && typeof section === 'object' ? section : {}) as Record<string, unknown>;
  const k = (s.kernel && typeof s.kernel === 'object' ? s.kernel : {}) as Record<string, unknown>;
  const severity: Record<string, Severity | 'off'> = {};
  if (s.severity && typeof s.severity === 'object') {
    for (const [id, value] of Object.entries(s.severity as Record<string, unknown>)) {
      if (typeof value === 'string' && SEVERITIES.includes(value)) severity[id] = value as Severity | 'off';
    }
  }
  return {
    kernel: {
      buildDir: str(k.buildDir),
      sourceDir: str(k.sourceDir),
      symvers: str(k.symvers),
      kallsyms: str(k.kallsyms),
      systemMap: str(k.systemMap),
      vmlinux: str(k.vmlinux),
      modulesDir: str(k.modulesDir),
      config: str(k.config),
      version: str(k.version),
    },
    series: str(s.series),
    limits: readLimitsOrDefault(s.limits),
    severity,
  };
}
