// What each patch means for each function after the series, in words: shared by the
// tree view and the state grid. Pure functions of the server's SeriesState: the server
// computes each function's role (analysis/roles.ts); the client only renders it.
import { NO_FINDINGS, type FindingCounts, type SeriesFunction, type SeriesPatch, type SeriesState } from '../../server/src/lsp/protocol';

/** A document and a 0-based range in it. */
export interface Location {
  uri: string;
  range?: SeriesFunction['range'];
}

/** A function's part in one patch after the series (one cell of the state grid). */
export type CellState =
  | 'active'
  | 'shadowed'
  | 'waiting'
  | 'never'
  | 'dropped'
  | 'replaced'
  | 'disabled'
  | 'unloaded'
  | 'refused'
  | 'none';

/** The word a cell shows (never color alone) and what it means, in legend order. */
export const CELL_STATES: ReadonlyArray<{ state: CellState; label: string; meaning: string }> = [
  { state: 'active', label: 'runs', meaning: "This patch's version of the function runs." },
  {
    state: 'shadowed',
    label: 'shadowed',
    meaning: "The patch is enabled, but a newer patch's version runs on top of it; this one runs again if the newer patch is disabled.",
  },
  {
    state: 'waiting',
    label: 'waiting',
    meaning: "The patch is enabled, but the function's module is not loaded; the function is patched when the module loads.",
  },
  {
    state: 'never',
    label: 'never patched',
    meaning: "The patch is enabled, but the function's object matches no module that ever loads (a check says why): it is never patched.",
  },
  {
    state: 'dropped',
    label: 'dropped (nop)',
    meaning: 'A replace patch that does not carry the function: its nop took the earlier version off, and the original code runs again.',
  },
  { state: 'replaced', label: 'replaced', meaning: 'A replace patch took over from this patch, which is now disabled.' },
  { state: 'disabled', label: 'disabled', meaning: 'The patch was disabled; its version no longer runs.' },
  { state: 'unloaded', label: 'unloaded', meaning: 'The patch module was removed.' },
  {
    state: 'refused',
    label: 'refused',
    meaning: 'The kernel refused to load the patch, or the build tools made no module of it or left the function out (a check says why): it changes nothing.',
  },
  { state: 'none', label: '', meaning: 'The patch does not touch the function.' },
];

export const cellLabel = (state: CellState): string => CELL_STATES.find((c) => c.state === state)?.label ?? '';

export interface Cell {
  state: CellState;
  /** A sentence for a tooltip. */
  detail: string;
}

/** A patched function, once per (object, name, sympos), with its stack after the series. */
export type FunctionRow = Pick<SeriesFunction, 'key' | 'object' | 'name' | 'sympos' | 'stack' | 'active'>;

/** Each name as it is, or `name#2`, `name#3` where it comes back. */
export function distinctIds(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}#${n}`;
  });
}

/** One id per patch in load order: its name, or `name#2` when a name comes back. */
export function patchIds(patches: readonly SeriesPatch[]): string[] {
  return distinctIds(patches.map((p) => p.name));
}

export function patchFunctions(patch: SeriesPatch): SeriesFunction[] {
  return patch.objects.flatMap((o) => o.functions);
}

export function findFunction(patch: SeriesPatch, key: string): SeriesFunction | undefined {
  return patchFunctions(patch).find((f) => f.key === key);
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const objectOrder = (a: string, b: string) => (a === b ? 0 : a === 'vmlinux' ? -1 : b === 'vmlinux' ? 1 : compare(a, b));

/** Every function any patch names: vmlinux first, then modules, each by name and sympos. */
export function functionRows(state: SeriesState): FunctionRow[] {
  const rows = new Map<string, FunctionRow>();
  for (const fn of state.patches.flatMap(patchFunctions)) {
    if (!rows.has(fn.key)) {
      rows.set(fn.key, { key: fn.key, object: fn.object, name: fn.name, sympos: fn.sympos, stack: fn.stack, active: fn.active });
    }
  }
  return [...rows.values()].sort(
    (a, b) => objectOrder(a.object, b.object) || compare(a.name, b.name) || a.sympos - b.sympos,
  );
}

/** The earlier patch whose version of `key` the replace patch at `patchIndex` dropped (as the server says). */
export function droppedFrom(state: SeriesState, patchIndex: number, key: string): SeriesPatch | undefined {
  const patch = state.patches[patchIndex];
  const dropped = patch && !findFunction(patch, key) ? patch.dropped.find((d) => d.key === key) : undefined;
  return dropped && state.patches[dropped.fromIndex];
}

/** What the patch at `patchIndex` means for the function `row` after the series. */
export function cellOf(state: SeriesState, patchIndex: number, row: FunctionRow): Cell {
  const patch = state.patches[patchIndex];
  const fn = `${row.name} (${row.object})`;
  const entry = patch && findFunction(patch, row.key);
  if (!patch || !entry) {
    const from = patch && droppedFrom(state, patchIndex, row.key);
    if (!from) return { state: 'none', detail: `${patch?.name ?? 'This patch'} does not touch ${fn}.` };
    return {
      state: 'dropped',
      detail: `${patch.name} replaced ${from.name} without carrying ${fn}: its nop took ${from.name}'s version off and the original code runs again.`,
    };
  }
  switch (entry.role) {
    case 'refused':
      // The server's reason: the check that says the build refuses it, or the kernel's message.
      return { state: 'refused', detail: `${patch.name} is refused: ${entry.reason ?? patch.error ?? 'no message'}` };
    case 'never':
      return { state: 'never', detail: `${patch.name} never patches ${fn}: ${entry.reason ?? 'its object never loads'}` };
    case 'unloaded':
      return { state: 'unloaded', detail: `${patch.name} was unloaded; its version of ${fn} no longer runs.` };
    case 'replaced':
      return {
        state: 'replaced',
        detail: `${patch.replacedBy ?? 'A replace patch'} replaced ${patch.name}; its version of ${fn} no longer runs.`,
      };
    case 'disabled':
      return { state: 'disabled', detail: `${patch.name} was disabled; its version of ${fn} no longer runs.` };
    case 'active':
      return { state: 'active', detail: `${patch.name}'s version of ${fn} runs.` };
    case 'shadowed': {
      const top = row.active ?? row.stack[0];
      return {
        state: 'shadowed',
        detail: `${top}'s version of ${fn} runs on top of ${patch.name}'s, which runs again if ${top} is disabled.`,
      };
    }
    case 'waiting':
      return {
        state: 'waiting',
        detail:
          row.object === 'vmlinux'
            ? `${patch.name} is enabled, but ${fn} is not on its stack.`
            : `${row.object} is not loaded: ${patch.name} patches ${fn} when it loads.`,
      };
  }
}

/** "1 module", "2 modules"; "2 livepatches" with its plural given. */
export const countOf = (n: number, noun: string, plural = `${noun}s`): string => `${n} ${n === 1 ? noun : plural}`;

/** The first line of a message (the kernel's and insmod's come in several): a label shows it, a tooltip the whole. */
export const firstLineOf = (message: string): string => message.split('\n')[0];

/** A patch's state after the series, in a few words on one line (`patch.error` in full belongs in a tooltip). */
export function patchStateWords(patch: SeriesPatch): string {
  switch (patch.state) {
    case 'enabled':
      return 'enabled';
    case 'replaced':
      return patch.replacedBy ? `replaced by ${patch.replacedBy}` : 'replaced';
    case 'refused':
      return patch.error ? `refused: ${firstLineOf(patch.error)}` : 'refused';
    case 'disabled':
    case 'unloaded':
      return patch.state;
  }
}

/** The findings the Problems panel shows in a patch's file. */
export function patchFindings(state: SeriesState, patch: SeriesPatch): FindingCounts {
  return state.findings.byUri[patch.uri] ?? NO_FINDINGS;
}

/** "2 errors, 1 warning"; empty when there is none. Hints are not counted, as the Problems panel does not. */
export function findingWords(findings: FindingCounts): string {
  const words: Array<[number, string]> = [
    [findings.error, 'error'],
    [findings.warning, 'warning'],
    [findings.information, 'info'],
  ];
  return words
    .filter(([n]) => n > 0)
    .map(([n, noun]) => countOf(n, noun))
    .join(', ');
}

/** The series in a few words: "3 livepatches, 6 warnings", "3 livepatches, no findings". */
export function seriesSummary(state: SeriesState): string {
  return `${countOf(state.patches.length, 'livepatch', 'livepatches')}, ${findingWords(state.findings.total) || 'no findings'}`;
}

export const KIND_WORDS: Record<SeriesPatch['kind'], string> = {
  diff: 'patch diff',
  module: 'livepatch module in C',
  csv: 'patched_funcs.csv',
};

/** Which version of the function runs, in words. */
export function runsWords(row: FunctionRow): string {
  return row.active ? `${row.active} runs` : 'original code runs';
}

/** A file URI as a path, anything else as it is. */
export function uriLabel(uri: string): string {
  try {
    const url = new URL(uri);
    return url.protocol === 'file:' ? decodeURIComponent(url.pathname) : uri;
  } catch {
    return uri;
  }
}
