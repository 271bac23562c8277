// Small builders for the model, the kernel context and a simulated series, so that
// check tests read as specifications. Every fact gets a distinct, predictable place
// in its livepatch's file: the patch at line 0, its replace at line 1, its functions
// from line 10 (in order), its states from line 40, its references from line 60,
// its klp symbols from line 80.
import { makeRange, type Location } from '../../server/src/common/range';
import { toSimPatch } from '../../server/src/analysis/toSimPatch';
import type { CheckContext, LoadStep } from '../../server/src/checks/check';
import { verdictsOf } from '../../server/src/checks/verdicts';
import { Memo } from '../../server/src/common/memo';
import { emptyKernelContext, type KernelContext, type ObjectSymbols, type SymbolEntry } from '../../server/src/kernel/types';
import type {
  KlpSymbolDeclaration,
  Livepatch,
  LivepatchKind,
  PatchedFunction,
  PatchObject,
} from '../../server/src/model/livepatch';
import type { PatchStatus, SimStep, StepResult } from '../../server/src/simulator/types';

export const FUNC_LINE = 10;
export const STATE_LINE = 40;
export const REFERENCE_LINE = 60;
export const KLP_SYMBOL_LINE = 80;

export function at(file: string, line: number, start = 0, end = 1): Location {
  return { file, range: makeRange(line, start, line, end) };
}

export interface FuncSpec {
  name: string;
  object?: string;
  /** Written as .old_sympos (a symposLocation is added) when given. */
  sympos?: number;
  newFunc?: string;
}

export interface LivepatchSpec {
  kind?: LivepatchKind;
  replace?: boolean;
  /** Function names (vmlinux, sympos 0) or full specs. */
  funcs?: Array<string | FuncSpec>;
  states?: Array<{ id: number; version: number }>;
  references?: string[];
  klpSymbols?: Array<Pick<KlpSymbolDeclaration, 'name' | 'object'> & Partial<KlpSymbolDeclaration>>;
}

const EXTENSION: Record<LivepatchKind, string> = { diff: 'patch', module: 'c', csv: 'csv' };

/** A livepatch named `name` in file `<name>.c` (module, the default), `.patch` (diff) or `.csv`. */
export function livepatch(name: string, spec: LivepatchSpec = {}): Livepatch {
  const kind = spec.kind ?? 'module';
  const file = `${name}.${EXTENSION[kind]}`;
  const funcs = (spec.funcs ?? []).map((f, i) => patchedFunction(file, FUNC_LINE + i, typeof f === 'string' ? { name: f } : f));
  const objects: PatchObject[] = [];
  for (const f of funcs) {
    let obj = objects.find((o) => o.object === f.object);
    if (!obj) {
      obj = {
        declaredName: f.object === 'vmlinux' ? null : f.object,
        object: f.object,
        location: f.location,
        funcs: [],
        hasFuncs: true,
        callbacks: [],
      };
      objects.push(obj);
    }
    obj.funcs.push(f);
  }
  return {
    name,
    kind,
    file,
    replace: spec.replace ?? kind !== 'module',
    replaceLocation: at(file, 1),
    location: at(file, 0),
    objects,
    states: (spec.states ?? []).map((s, i) => ({ ...s, location: at(file, STATE_LINE + i) })),
    livepatchModinfo: kind === 'module' ? true : undefined,
    exports: [],
    references: (spec.references ?? []).map((r, i) => ({ name: r, location: at(file, REFERENCE_LINE + i, 4, 4 + r.length) })),
    klpSymbols: (spec.klpSymbols ?? []).map((k, i) => ({
      sympos: 0,
      spelling: 'KLP_RELOC_SYMBOL',
      location: at(file, KLP_SYMBOL_LINE + i),
      ...k,
    })),
    problems: [],
  };
}

function patchedFunction(file: string, line: number, spec: FuncSpec): PatchedFunction {
  return {
    object: spec.object ?? 'vmlinux',
    name: spec.name,
    sympos: spec.sympos ?? 0,
    newFunc: spec.newFunc ?? `livepatch_${spec.name}`,
    location: at(file, line, 0, 40),
    nameLocation: at(file, line, 14, 16 + spec.name.length),
    ...(spec.sympos !== undefined ? { symposLocation: at(file, line, 30, 40) } : {}),
  };
}

export interface KernelSpec {
  /** Symbol tables by object: names (or [name, hex address]) in walk order; a name may repeat. */
  symbols?: Record<string, SymbolSpec[]>;
  /** Module.symvers: symbol -> exporting object ('vmlinux' or a module name). */
  exports?: Record<string, string>;
}

export function kernel(spec: KernelSpec = {}): KernelContext {
  const k = emptyKernelContext();
  for (const [object, names] of Object.entries(spec.symbols ?? {})) k.objects.set(object, symbolTable(object, names));
  for (const [symbol, object] of Object.entries(spec.exports ?? {})) {
    k.exports.set(symbol, { symbol, crc: '0x0', object, path: object, exportType: 'EXPORT_SYMBOL', namespace: '' });
  }
  k.has.symvers = spec.exports !== undefined;
  k.has.vmlinuxSymbols = k.objects.has('vmlinux');
  return k;
}

export type SymbolSpec = string | [name: string, address: string];

/** A symbol table; a symbol given by name alone, n-th (0-based), is at address 0x1000 * (n + 1). */
export function symbolTable(object: string, symbols: SymbolSpec[]): ObjectSymbols {
  const byName = new Map<string, SymbolEntry[]>();
  symbols.forEach((spec, index) => {
    const [name, address] = typeof spec === 'string' ? [spec, (0x1000 * (index + 1)).toString(16)] : spec;
    const entry: SymbolEntry = { name, address, type: 't', index };
    byName.set(name, [...(byName.get(name) ?? []), entry]);
  });
  return { object, source: 'kallsyms', file: `${object}.syms`, byName, count: symbols.length };
}

export type SeriesStep = Livepatch | { disable: string } | { unload: string } | { fail: Livepatch; error?: string };

/**
 * A CheckContext whose steps load the livepatches (and disable / unload) in order, with
 * the results of a minimal model: a loaded patch is enabled, a replace patch disables
 * every other, a disabled patch is gone, `{ fail }` loads and is refused.
 */
/** `memo`: the analysis session's (pass one to several series to model the analyses of one session). */
export function series(steps: SeriesStep[], kernelContext: KernelContext = kernel(), memo = new Memo()): CheckContext {
  const simSteps: SimStep[] = [];
  const results: StepResult[] = [];
  const loads: LoadStep[] = [];
  const livepatches: Livepatch[] = [];
  let patches: PatchStatus[] = [];
  for (const s of steps) {
    if ('disable' in s || 'unload' in s) {
      const target = 'disable' in s ? s.disable : s.unload;
      simSteps.push({ action: 'disable' in s ? 'disable' : 'unload', target });
      patches = patches.filter((p) => p.name !== target);
      results.push(result(simSteps.at(-1)!.action, target, true, null, patches));
      continue;
    }
    const lp = 'fail' in s ? s.fail : s;
    if (!livepatches.includes(lp)) livepatches.push(lp);
    const patch = toSimPatch(lp);
    loads.push({ step: simSteps.length, livepatch: lp, patch });
    simSteps.push({ action: 'load', patch });
    if ('fail' in s) {
      results.push(result('load', lp.name, false, s.error ?? 'refused', patches));
      continue;
    }
    if (lp.replace) patches = [];
    patches = [...patches, { name: lp.name, replace: lp.replace, enabled: true, replacedBy: null }];
    results.push(result('load', lp.name, true, null, patches));
  }
  return { kernel: kernelContext, livepatches, plan: [], steps: simSteps, results, loads, verdicts: verdictsOf(livepatches, []), memo };
}

function result(action: SimStep['action'], target: string, ok: boolean, error: string | null, patches: PatchStatus[]): StepResult {
  return { action, target, ok, error, patches, functions: [] };
}
