// The state after each step, as `klp-lens state --format json` prints it. The simulator keeps
// only what each step changed (here the modules, in FuncStacks the stacks); a step's lists of
// patches and functions are built on their first read and share the statuses that did not
// change, so simulating n livepatches is not steps × loaded patches of copies.
import { functionKey, shownSympos } from '../model/identity';
import type { StackEntry } from './stack';
import type { FunctionStatus, PatchStatus, SimStep, StepResult } from './types';
import type { LivepatchModule, World } from './world';

/** A livepatch module from the step that loaded it to the one that unloaded it. */
interface ModuleSpan {
  module: LivepatchModule;
  loadedAt: number;
  unloadedAt: number;
  /** Its status from the end of each step that changed it on, oldest first. */
  statuses: Array<{ step: number; status: PatchStatus }>;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function statusAfter(span: ModuleSpan, step: number): PatchStatus {
  let i = span.statuses.length - 1;
  while (i > 0 && span.statuses[i].step > step) i--;
  return span.statuses[i].status;
}

function statusOf(m: LivepatchModule): PatchStatus {
  return { name: m.patch.name, replace: m.patch.replace, enabled: m.enabled, replacedBy: m.replacedBy };
}

export class SeriesLog {
  /** Every module ever loaded, in load order. */
  private readonly spans: ModuleSpan[] = [];
  private readonly loaded = new Map<string, ModuleSpan>();
  private readonly spanOf = new Map<LivepatchModule, ModuleSpan>();
  /** Only an enabled module's status changes (it is disabled, or replaced). */
  private readonly enabledNow = new Set<ModuleSpan>();
  /** The modules each step loaded, unloaded or changed the status of. */
  private readonly changed: ModuleSpan[][] = [];
  /** One status per function and version of its stack (a stack version is a new array). */
  private readonly functionStatuses = new WeakMap<readonly StackEntry[], FunctionStatus>();
  private readonly unpatched = new Map<string, FunctionStatus>();
  /** The functions after the step last asked for (functionsByKeyAfter()). */
  private functionsByKey?: { step: number; functions: ReadonlyMap<string, FunctionStatus> };
  /** The enabled modules after one step, for enabledAfter() reading the steps in order. */
  private enabled = { step: -1, spans: new Map<ModuleSpan, PatchStatus>() };

  constructor(private readonly world: World) {}

  /** Notes what `step`, the `index`-th, changed of the livepatch modules. */
  record(index: number, step: SimStep, ok: boolean): void {
    const changed: ModuleSpan[] = [];
    if (ok && step.action === 'unload') {
      const span = this.loaded.get(step.target);
      if (span) {
        span.unloadedAt = index;
        this.loaded.delete(step.target);
        this.spanOf.delete(span.module);
        changed.push(span);
      }
    }
    for (const span of this.enabledNow) {
      const { module } = span;
      const last = span.statuses[span.statuses.length - 1].status;
      if (module.enabled === last.enabled && module.replacedBy === last.replacedBy) continue;
      span.statuses.push({ step: index, status: statusOf(module) });
      if (!module.enabled) this.enabledNow.delete(span);
      changed.push(span);
    }
    const modules = this.world.modules;
    let first = modules.length;
    while (first > 0 && !this.spanOf.has(modules[first - 1])) first--;
    for (const module of modules.slice(first)) {
      const span: ModuleSpan = { module, loadedAt: index, unloadedAt: Infinity, statuses: [{ step: index, status: statusOf(module) }] };
      this.spans.push(span);
      this.loaded.set(module.patch.name, span);
      this.spanOf.set(module, span);
      if (module.enabled) this.enabledNow.add(span);
      changed.push(span);
    }
    this.changed.push(changed);
  }

  /** The modules loaded after `step`, in load order. */
  private loadedAfter(step: number): ModuleSpan[] {
    const out: ModuleSpan[] = [];
    for (const span of this.spans) {
      if (span.loadedAt > step) break;
      if (span.unloadedAt > step) out.push(span);
    }
    return out;
  }

  patchesAfter(step: number): PatchStatus[] {
    return this.loadedAfter(step).map((span) => statusAfter(span, step));
  }

  /** The enabled patches after `step`, oldest first: the last answer moved on by the steps between. */
  enabledAfter(step: number): PatchStatus[] {
    if (step < this.enabled.step) this.enabled = { step: -1, spans: new Map() };
    const { spans } = this.enabled;
    for (let s = this.enabled.step + 1; s <= step; s++) {
      for (const span of this.changed[s] ?? []) {
        const status = statusAfter(span, s);
        // A module is enabled only by its load, so the Map's order stays the load order.
        if (span.unloadedAt > s && status.enabled) spans.set(span, status);
        else spans.delete(span);
      }
    }
    this.enabled.step = step;
    return [...spans.values()];
  }

  /**
   * Every function a loaded patch names, once per (object, name, sympos as sysfs shows it),
   * ordered by object, name and sympos; with its stack and the patch whose code runs
   * (none when the stack is empty or a nop is on top).
   */
  functionsAfter(step: number): FunctionStatus[] {
    return [...this.functionsByKeyAfter(step).values()].sort((a, b) => compare(a.object, b.object) || compare(a.name, b.name) || a.sympos - b.sympos);
  }

  /** functionsAfter() by key (model/identity.ts functionKey), unsorted; the last step's kept (a hover asks it for one function at a time). */
  functionsByKeyAfter(step: number): ReadonlyMap<string, FunctionStatus> {
    if (this.functionsByKey?.step === step) return this.functionsByKey.functions;
    const seen = new Map<string, FunctionStatus>();
    for (const { module } of this.loadedAfter(step)) {
      for (const obj of module.patch.objects) {
        for (const func of obj.funcs) {
          const sympos = shownSympos(func.sympos);
          const key = functionKey({ object: obj.name, name: func.name, sympos });
          if (seen.has(key)) continue;
          const entries = this.world.stacks.stackAfter(key, step);
          let status = entries ? this.functionStatuses.get(entries) : this.unpatched.get(key);
          if (!status) {
            const top = entries?.[0];
            status = { object: obj.name, name: func.name, sympos, stack: (entries ?? []).map((e) => e.patch), active: top && !top.nop ? top.patch : null };
            if (entries) this.functionStatuses.set(entries, status);
            else this.unpatched.set(key, status);
          }
          seen.set(key, status);
        }
      }
    }
    this.functionsByKey = { step, functions: seen };
    return seen;
  }
}

const logs = new WeakMap<StepResult, { log: SeriesLog; step: number }>();

/** A value of `result` built on its first read, then kept. */
function lazy<T>(result: StepResult, key: 'patches' | 'functions', build: () => T): void {
  Object.defineProperty(result, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = build();
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      return value;
    },
  });
}

/** The result of the `step`-th step, whose patches and functions `log` builds when read. */
export function stepResult(log: SeriesLog, step: number, head: Omit<StepResult, 'patches' | 'functions'>): StepResult {
  const result = { ...head } as StepResult;
  lazy(result, 'patches', () => log.patchesAfter(step));
  lazy(result, 'functions', () => log.functionsAfter(step));
  logs.set(result, { log, step });
  return result;
}

/**
 * The status of the function whose key (model/identity.ts functionKey) is `key` among
 * `result.functions`, without building and sorting that list for a result of simulate().
 */
export function functionStatus(result: StepResult, key: string): FunctionStatus | undefined {
  const entry = logs.get(result);
  return entry ? entry.log.functionsByKeyAfter(entry.step).get(key) : result.functions.find((f) => functionKey(f) === key);
}

/**
 * The patches enabled after a step, oldest first: `result.patches` that are enabled, without
 * building that list for a result of simulate(); reading the steps in order costs what they change.
 */
export function enabledPatches(result: StepResult): PatchStatus[] {
  const entry = logs.get(result);
  return entry ? entry.log.enabledAfter(entry.step) : result.patches.filter((p) => p.enabled);
}
