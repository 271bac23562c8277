// The Livepatch Series tree as plain data: patches in load order with their state after
// the series, their objects, functions (and the functions a replace patch drops), and
// each function's stack. The tree view (seriesTreeProvider.ts) only turns nodes into
// TreeItems, so the end-to-end tests read exactly these ids, labels and tooltips.
import type { SeriesFunction, SeriesPatch, SeriesState } from '../../server/src/lsp/protocol';
import {
  cellLabel,
  cellOf,
  countOf,
  distinctIds,
  droppedFrom,
  findFunction,
  findingWords,
  functionRows,
  KIND_WORDS,
  patchFindings,
  patchFunctions,
  patchIds,
  patchStateWords,
  runsWords,
  uriLabel,
  type Cell,
  type CellState,
  type FunctionRow,
  type Location,
} from './seriesModel';

export interface SeriesTreeNode {
  /** Stable across refreshes: `patch:lpa`, `obj:lpa:vmlinux`, `fn:lpa:vmlinux:cmdline_proc_show,1`, ... */
  id: string;
  kind: 'patch' | 'object' | 'function' | 'nop' | 'stack';
  label: string;
  description: string;
  /** Plain words, several lines. */
  tooltip: string;
  /** A codicon id, and a theme color id for it. */
  icon: string;
  iconColor?: string;
  /** What selecting the node opens. */
  open?: Location;
  expanded: boolean;
  children: SeriesTreeNode[];
}

const PATCH_ICONS: Record<SeriesPatch['state'], [string, string?]> = {
  enabled: ['pass', 'testing.iconPassed'],
  replaced: ['arrow-swap'],
  disabled: ['circle-slash'],
  unloaded: ['close'],
  refused: ['error', 'errorForeground'],
};

const FINDING_ICONS = { error: ['error', 'errorForeground'], warning: ['warning', 'list.warningForeground'] } satisfies Record<string, [string, string]>;

const CELL_ICONS: Record<CellState, [string, string?]> = {
  active: ['play', 'testing.iconPassed'],
  shadowed: ['layers', 'list.warningForeground'],
  waiting: ['clock'],
  never: ['circle-slash', 'errorForeground'],
  dropped: ['discard', 'charts.purple'],
  replaced: ['arrow-swap'],
  disabled: ['circle-slash'],
  unloaded: ['close'],
  refused: ['error', 'errorForeground'],
  none: ['blank'],
};

const functionLabel = (row: { name: string; sympos: number }) => (row.sympos > 1 ? `${row.name},${row.sympos}` : row.name);

/** The cell's word with the patch it concerns, as a tree description. */
function cellDescription(cell: Cell, patch: SeriesPatch, row: FunctionRow): string {
  switch (cell.state) {
    case 'shadowed':
      return `shadowed by ${row.active ?? row.stack[0]}`;
    case 'replaced':
      return patch.replacedBy ? `replaced by ${patch.replacedBy}` : 'replaced';
    case 'waiting':
      return `waits for ${row.object} to load`;
    default:
      return cellLabel(cell.state);
  }
}

function stackLine(row: FunctionRow): string {
  return row.stack.length > 0 ? `Stack, newest first: ${row.stack.join(', ')}.` : 'No patch is on its stack.';
}

/** Where a patch named `name` changes the function: the latest such patch in load order. */
function locationIn(state: SeriesState, name: string, key: string): Location | undefined {
  const patch = [...state.patches].reverse().find((p) => p.name === name);
  const fn = patch && findFunction(patch, key);
  return fn ? { uri: fn.uri, range: fn.range } : patch && { uri: patch.uri };
}

/** `parentId`: the function's node id without its kind, e.g. `lpa:vmlinux:cmdline_proc_show,1`. */
function stackNodes(state: SeriesState, parentId: string, row: FunctionRow): SeriesTreeNode[] {
  const ids = distinctIds(row.stack);
  return row.stack.map((name, i) => {
    const runs = i === 0 && row.active === name;
    return {
      id: `stack:${parentId}:${ids[i]}`,
      kind: 'stack',
      label: name,
      description: i === 0 ? (runs ? 'top of the stack, runs' : 'top of the stack') : `below ${row.stack[i - 1]}`,
      tooltip: [
        `${name}: position ${i + 1} of ${row.stack.length} on the stack of ${row.name} (${row.object}), newest first.`,
        runs ? `Its version runs.` : `It runs again if the patches above it are disabled.`,
      ].join('\n'),
      icon: runs ? 'play' : 'layers',
      open: locationIn(state, name, row.key),
      expanded: false,
      children: [],
    };
  });
}

/** `id`: the node id without its kind: the patch's id and the function's key (distinct within the patch). */
function functionNode(state: SeriesState, index: number, id: string, fn: SeriesFunction, row: FunctionRow): SeriesTreeNode {
  const patch = state.patches[index];
  const cell = cellOf(state, index, row);
  const [icon, iconColor] = CELL_ICONS[cell.state];
  return {
    id: `fn:${id}`,
    kind: 'function',
    label: functionLabel(row),
    description: cellDescription(cell, patch, row),
    tooltip: [`${row.key} in ${patch.name}`, cell.detail, `After the series: ${runsWords(row)}.`, stackLine(row)].join('\n'),
    icon,
    iconColor,
    open: { uri: fn.uri, range: fn.range },
    expanded: false,
    children: stackNodes(state, id, row),
  };
}

function nopNode(state: SeriesState, index: number, pid: string, row: FunctionRow): SeriesTreeNode {
  const cell = cellOf(state, index, row);
  const from = droppedFrom(state, index, row.key);
  const [icon, iconColor] = CELL_ICONS.dropped;
  return {
    id: `nop:${pid}:${row.key}`,
    kind: 'nop',
    label: functionLabel(row),
    description: `${cellLabel('dropped')}, from ${from?.name ?? 'an earlier patch'}`,
    tooltip: [`${row.key}: a nop of ${state.patches[index].name}`, cell.detail, `After the series: ${runsWords(row)}.`].join('\n'),
    icon,
    iconColor,
    open: from ? locationIn(state, from.name, row.key) : undefined,
    expanded: false,
    children: stackNodes(state, `${pid}:${row.key}`, row),
  };
}

function objectNodes(state: SeriesState, index: number, pid: string, rows: FunctionRow[]): SeriesTreeNode[] {
  const patch = state.patches[index];
  const dropped = rows.filter((row) => droppedFrom(state, index, row.key));
  const names = [...new Set([...patch.objects.map((o) => o.name), ...dropped.map((r) => r.object)])];
  const rowOf = new Map(rows.map((r) => [r.key, r]));
  // A malformed module may name one function twice: each still gets a node of its own.
  const all = patchFunctions(patch);
  const keyIds = distinctIds(all.map((fn) => fn.key));
  const idOf = (fn: SeriesFunction) => `${pid}:${keyIds[all.indexOf(fn)]}`;
  return names.map((name) => {
    const own = patch.objects.filter((o) => o.name === name).flatMap((o) => o.functions);
    const nops = dropped.filter((r) => r.object === name);
    const counts = [countOf(own.length, 'function')];
    if (nops.length > 0) counts.push(`${nops.length} dropped`);
    return {
      id: `obj:${pid}:${name}`,
      kind: 'object',
      label: name,
      description: counts.join(', '),
      tooltip: `${name}: ${patch.name} patches ${counts.join(' and ')} of ${name === 'vmlinux' ? 'the kernel image' : `module ${name}`}.`,
      icon: name === 'vmlinux' ? 'chip' : 'package',
      expanded: true,
      children: [
        ...own.map((fn) => functionNode(state, index, idOf(fn), fn, rowOf.get(fn.key)!)),
        ...nops.map((row) => nopNode(state, index, pid, row)),
      ],
    };
  });
}

function patchTooltip(patch: SeriesPatch, findings: string): string {
  const lines = [
    `${patch.name}: ${KIND_WORDS[patch.kind]}, ${patch.replace ? 'replace (cumulative)' : 'not replace'}.`,
    `After the series: ${patchStateWords(patch)}.`,
    ...(patch.error && patch.error.includes('\n') ? [patch.error] : []),
    ...(findings ? [`In its file: ${findings}.`] : []),
    `File: ${uriLabel(patch.uri)}`,
  ];
  return lines.join('\n');
}

/** The states worth a word in a patch's row: its versions that do not run although it is there. */
const UNSEEN_STATES: CellState[] = ['shadowed', 'waiting', 'never', 'dropped'];

/** "2 shadowed, 1 waiting": how many of the patch's functions (and nops) end in each of UNSEEN_STATES. */
function unseenWords(state: SeriesState, index: number, rows: FunctionRow[]): string {
  const cells = rows.map((row) => cellOf(state, index, row).state);
  return UNSEEN_STATES.map((s) => [cells.filter((c) => c === s).length, cellLabel(s)] as const)
    .filter(([n]) => n > 0)
    .map(([n, label]) => `${n} ${label}`)
    .join(', ');
}

/**
 * The tree's top level: one node per patch in load order. A row says the patch's state, what
 * of it does not run, and its findings; a patch with findings shows a warning or error mark and
 * opens, so that the first look at the view shows what needs attention.
 */
export function buildSeriesTree(state: SeriesState): SeriesTreeNode[] {
  const ids = patchIds(state.patches);
  const rows = functionRows(state);
  return state.patches.map((patch, index) => {
    const counts = patchFindings(state, patch);
    const findings = findingWords(counts);
    const [icon, iconColor] =
      counts.error > 0 ? FINDING_ICONS.error : counts.warning > 0 && patch.state !== 'refused' ? FINDING_ICONS.warning : PATCH_ICONS[patch.state];
    const words = [patch.replace && patch.state === 'enabled' ? 'enabled, replace' : patchStateWords(patch), unseenWords(state, index, rows), findings];
    return {
      id: `patch:${ids[index]}`,
      kind: 'patch',
      label: patch.name,
      description: words.filter(Boolean).join(' · '),
      tooltip: patchTooltip(patch, findings),
      icon,
      iconColor,
      open: { uri: patch.uri },
      expanded: findings !== '',
      children: objectNodes(state, index, ids[index], rows),
    };
  });
}
