// The patch state picture: an HTML grid of functions (rows) by patches in load order
// (columns), each cell saying in words and color which version runs, which are shadowed,
// dropped by a replace patch's nop, replaced, disabled or refused. A pure function of the
// SeriesState, so tests read the same DOM (data-function, data-patch, data-state) that the
// webview shows. Strict CSP: nothing remote, style and script only with the nonce.
import type { SeriesState } from '../../server/src/lsp/protocol';
import {
  CELL_STATES,
  cellLabel,
  cellOf,
  droppedFrom,
  findFunction,
  functionRows,
  KIND_WORDS,
  patchIds,
  patchStateWords,
  runsWords,
  uriLabel,
  type Location,
} from './seriesModel';
import { kernelStatusView } from './kernelStatus';

/** What the webview asks of the extension when a cell or a column head is chosen. */
export type GridMessage =
  | { type: 'openFunction'; patchIndex: number; function: string }
  | { type: 'openPatch'; patchIndex: number };

/** Messages come from the webview's page: accept only the shapes above. */
export function parseGridMessage(value: unknown): GridMessage | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const m = value as Record<string, unknown>;
  if (typeof m.patchIndex !== 'number' || !Number.isInteger(m.patchIndex) || m.patchIndex < 0) return undefined;
  if (m.type === 'openPatch') return { type: 'openPatch', patchIndex: m.patchIndex };
  if (m.type === 'openFunction' && typeof m.function === 'string') {
    return { type: 'openFunction', patchIndex: m.patchIndex, function: m.function };
  }
  return undefined;
}

/**
 * What a message opens: the function where the patch changes it (for a nop, where the
 * dropped patch changed it), else the patch's file.
 */
export function gridMessageLocation(state: SeriesState | undefined, message: GridMessage): Location | undefined {
  const patch = state?.patches[message.patchIndex];
  if (!state || !patch) return undefined;
  if (message.type === 'openFunction') {
    const owner = findFunction(patch, message.function) ? patch : droppedFrom(state, message.patchIndex, message.function);
    const fn = owner && findFunction(owner, message.function);
    if (fn) return { uri: fn.uri, range: fn.range };
  }
  return { uri: patch.uri };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `name="value"` pairs, escaped. */
function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeHtml(String(v))}"`)
    .join('');
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 1em 1em; }
h1 { font-size: 1.3em; } h2 { font-size: 1.1em; margin-top: 1.5em; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--vscode-panel-border, #8884); padding: 2px 6px; text-align: left; vertical-align: top; }
thead th { position: sticky; top: 0; background: var(--vscode-editor-background); }
tbody th { position: sticky; left: 0; background: var(--vscode-editor-background); font-family: var(--vscode-editor-font-family); font-weight: normal; }
.patch-name { display: block; font-family: var(--vscode-editor-font-family); }
.patch-state { display: block; max-width: 16em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-weight: normal; font-size: 0.85em; color: var(--vscode-descriptionForeground); }
.cell { white-space: nowrap; min-width: 5em; }
[data-open] { cursor: pointer; }
[data-open]:focus { outline: 1px solid var(--vscode-focusBorder); }
.s-active { --c: var(--vscode-testing-iconPassed, #388a34); font-weight: bold; }
.s-shadowed { --c: var(--vscode-editorWarning-foreground, #bf8803); }
.s-waiting { --c: var(--vscode-charts-blue, #3794ff); }
.s-dropped { --c: var(--vscode-charts-purple, #b180d7); font-style: italic; }
.s-replaced, .s-disabled, .s-unloaded { --c: var(--vscode-disabledForeground, #888888); }
.s-refused, .s-never { --c: var(--vscode-errorForeground, #f14c4c); }
.cell, .swatch { border-left: 4px solid var(--c, transparent); background: color-mix(in srgb, var(--c, transparent) 20%, transparent); }
.swatch { display: inline-block; min-width: 7em; padding: 0 4px; margin-right: 0.5em; }
#context dt { float: left; clear: left; width: 7em; color: var(--vscode-descriptionForeground); } #context dd { margin-left: 7em; }
#legend ul { list-style: none; padding: 0; } #legend li { margin: 2px 0; }
.failed { color: var(--vscode-errorForeground, #f14c4c); }
`;

// Clicks and Enter on anything with data-open ask the extension to open it.
const SCRIPT = `
const vscode = acquireVsCodeApi();
function open(el) {
  const patchIndex = Number(el.dataset.patchIndex);
  if (el.dataset.open === 'patch') vscode.postMessage({ type: 'openPatch', patchIndex });
  else vscode.postMessage({ type: 'openFunction', patchIndex, function: el.dataset.function });
}
document.addEventListener('click', (e) => { const el = e.target.closest('[data-open]'); if (el) open(el); });
document.addEventListener('keydown', (e) => {
  if ((e.key === 'Enter' || e.key === ' ') && e.target.matches && e.target.matches('[data-open]')) { e.preventDefault(); open(e.target); }
});
`;

/** `object:name,sympos`, which may break after the object: the grid fits half an editor area, where a cell opens its function. */
function keyHtml(key: string): string {
  const colon = key.indexOf(':');
  return `${escapeHtml(key.slice(0, colon + 1))}<wbr>${escapeHtml(key.slice(colon + 1))}`;
}

function grid(state: SeriesState): string {
  const ids = patchIds(state.patches);
  const rows = functionRows(state);
  // A head stays a few words high: the whole state (a refusal's message in full) is its title.
  const head = state.patches
    .map((patch, i) => {
      const kind = `${KIND_WORDS[patch.kind]}, ${patch.replace ? 'replace' : 'not replace'}`;
      const words = patchStateWords(patch);
      const full = patch.state === 'refused' && patch.error ? `refused: ${patch.error}` : words;
      return (
        `<th${attrs({
          scope: 'col',
          class: `patch s-${patch.state === 'enabled' ? 'active' : patch.state}`,
          'data-patch': ids[i],
          'data-patch-index': i,
          'data-patch-state': patch.state,
          'data-open': 'patch',
          tabindex: 0,
          title: `${patch.name} (${kind}), ${i + 1} of ${state.patches.length} in load order: ${full}. ${uriLabel(patch.uri)}`,
        })}>` +
        `<span class="patch-name">${escapeHtml(patch.name)}</span>` +
        `<span class="patch-state">${escapeHtml(patch.replace ? `${words}, replace` : words)}</span></th>`
      );
    })
    .join('');
  const body = rows
    .map((row) => {
      const cells = state.patches
        .map((_, i) => {
          const cell = cellOf(state, i, row);
          const opens = cell.state !== 'none';
          return (
            `<td${attrs({
              class: `cell s-${cell.state}`,
              'data-function': row.key,
              'data-patch': ids[i],
              'data-patch-index': i,
              'data-state': cell.state,
              'data-open': opens ? 'function' : undefined,
              tabindex: opens ? 0 : undefined,
              title: cell.detail,
            })}>${escapeHtml(cellLabel(cell.state))}</td>`
          );
        })
        .join('');
      const stack = row.stack.length > 0 ? `stack, newest first: ${row.stack.join(', ')}` : 'no patch on its stack';
      return (
        `<tr${attrs({ 'data-function': row.key })}>` +
        `<th${attrs({ scope: 'row', title: `${row.name} in ${row.object}, symbol position ${row.sympos}; ${stack}` })}>${keyHtml(row.key)}</th>` +
        cells +
        `<td${attrs({ class: 'runs', 'data-runs': row.active ?? '' })}>${escapeHtml(runsWords(row))}</td></tr>`
      );
    })
    .join('\n');
  return (
    // Outside the table, the sentence wraps at the page's width rather than the table's.
    `<p id="grid-caption">Each function any patch names (rows) against each patch in load order (columns), after the whole series.</p>` +
    `<div class="scroll"><table id="state-grid" aria-describedby="grid-caption"${attrs({ 'data-patches': state.patches.length, 'data-functions': rows.length })}>` +
    `<thead><tr><th scope="col">Function</th>${head}<th scope="col">After the series</th></tr></thead>` +
    `<tbody>\n${body}\n</tbody></table></div>`
  );
}

function legend(): string {
  const items = CELL_STATES.map(
    ({ state, label, meaning }) =>
      `<li${attrs({ 'data-state': state })}><span class="swatch s-${state}">${escapeHtml(label || '(blank)')}</span>${escapeHtml(meaning)}</li>`,
  ).join('');
  return `<section id="legend"><h2>Legend</h2><ul>${items}</ul></section>`;
}

function steps(state: SeriesState): string {
  const rows = state.steps
    .map(
      (step, i) =>
        `<tr${attrs({ 'data-step-index': i, 'data-ok': String(step.ok) })}><td>${i + 1}</td><td>${escapeHtml(step.action)}</td>` +
        `<td>${escapeHtml(step.target)}</td><td${step.ok ? '' : ' class="failed"'}>${escapeHtml(step.ok ? 'ok' : `failed: ${step.error ?? ''}`)}</td></tr>`,
    )
    .join('');
  return `<section id="steps"><h2>Steps</h2><table><thead><tr><th scope="col">#</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Result</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function header(state: SeriesState | undefined): string {
  if (!state) return '';
  // The page is wide enough for the kernel's whole description.
  const kernel = state.kernel.description || kernelStatusView(state.kernel).text;
  const series = state.seriesUri ? uriLabel(state.seriesUri) : 'none: the livepatches in path order';
  return (
    `<dl id="context"><dt>Kernel</dt><dd id="kernel"${attrs({ 'data-kernel-state': state.kernel.state, title: state.kernel.source ?? undefined })}>` +
    `${escapeHtml(kernel)}</dd><dt>Series file</dt><dd id="series">${escapeHtml(series)}</dd></dl>`
  );
}

/** The whole webview page. `nonce` must be fresh for every page. */
export function renderStateGrid(state: SeriesState | undefined, nonce: string): string {
  const content =
    state && state.patches.length > 0
      ? grid(state) + legend() + steps(state)
      : `<p id="empty">${state ? 'No livepatches found in this workspace.' : 'The language server has not sent the series state yet.'}</p>`;
  const n = escapeHtml(nonce);
  const csp = `default-src 'none'; style-src 'nonce-${n}'; script-src 'nonce-${n}';`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Livepatch series state</title>
<style nonce="${n}">${STYLE}</style>
</head>
<body>
<h1>Livepatch series state</h1>
${header(state)}
${content}
<script nonce="${n}">${SCRIPT}</script>
</body>
</html>
`;
}
