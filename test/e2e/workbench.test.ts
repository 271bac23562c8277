// The editor tier, second file: the workbench features a user meets beyond vscode.test.ts's
// tour, each in a real VS Code (code-server 4.100.3) on its own copy of examples/, driven in
// Chromium: workspace diagnostics with no file open, the links of the problems' codes,
// completion of old_name, "did you mean" and its fix, a file the series does not list and its
// fix, a series step that names nothing, a series file under another name (klpLens.series),
// Compare with This Machine.
// Like vscode.test.ts it runs only when KLP_E2E=1 (npm run test:e2e). Screenshots:
// results/e2e/workbench/wNN-name.png (vscode.test.ts owns, and clears, results/e2e/NN-*.png).
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeServer } from '../../editor/src/launch';
import { packageRoot } from '../../server/src/common/packageRoot';
import { endTour, startTour, stepper, type Tour } from './tour';
import { eventually, outputChannelLog, type ProblemRow, type Workbench } from './vscodeDriver';

const ENABLED = process.env.KLP_E2E === '1';
const SKIP_REASON = 'skipped: set KLP_E2E=1 to run the extension in a real VS Code (apt, code-server from npm, Chromium; a few minutes)';

if (!ENABLED) console.warn(`[klp-lens tests] the VS Code workbench end-to-end tier is ${SKIP_REASON}`);

const ROOT = packageRoot();
const SHOTS = path.join(ROOT, 'results', 'e2e', 'workbench');
const MINUTE = 60_000;
const log = (line: string) => console.log(`e2e workbench: ${line}`);

let tour: Tour | undefined;
let tmp: string;
let workspace: string;
let server: CodeServer | undefined;
let bench: Workbench;

const step = stepper(SHOTS, 'w', () => tour);

const rowKey = (r: ProblemRow) => `${r.file}:${r.line} ${r.code}`;
const readWorkspace = (relative: string) => readFileSync(path.join(workspace, relative), 'utf8');
const readUserSettings = (): Record<string, unknown> => JSON.parse(readFileSync(path.join(tmp, 'user-data', 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;

/** The example's findings (examples/README.md), every one of them a warning. */
const EXAMPLE_FINDINGS = [
  'lp-cdrom.c:20 exported-symbol-dependency',
  'lp-cmdline.c:25 overlapping-function',
  'lp-cmdline.c:29 overlapping-function',
  'lp-cmdline.c:41 missing-replace',
  'proc-fix.patch:20 overlapping-function',
  'proc-fix.patch:32 overlapping-function',
];

/** The visible lines of the editor shown (one editor group) that start with `startsWith` after their indentation. */
async function editorLine(startsWith: string): Promise<string[]> {
  const lines = await bench.page.locator('.editor-instance .monaco-editor .view-lines .view-line').allTextContents();
  return lines.map((l) => l.replace(/\u00a0/g, ' ')).filter((l) => l.trimStart().startsWith(startsWith));
}

/** Selects `length` characters from the cursor to the right (the keyboard, as a user does). */
async function selectRight(length: number): Promise<void> {
  for (let i = 0; i < length; i++) await bench.page.keyboard.press('Shift+ArrowRight');
}

/** Undoes (Ctrl+Z) until the active editor has no unsaved change. */
async function undoAll(): Promise<void> {
  const dirty = bench.page.locator('.tabs-container .tab.active.dirty');
  for (let i = 0; i < 20 && (await dirty.count()) > 0; i++) {
    await bench.page.keyboard.press('Control+Z');
    await bench.page.waitForTimeout(100);
  }
  await dirty.waitFor({ state: 'detached', timeout: 10_000 });
}

/** The labels of the suggest widget's rows, once it shows one that `until` accepts. */
async function suggestions(until: (labels: string[]) => boolean): Promise<string[]> {
  return eventually(async () => {
    const labels = await bench.page
      .locator('.editor-widget.suggest-widget.visible .monaco-list-row')
      .evaluateAll((rows) => rows.map((r) => r.querySelector('.label-name')?.textContent?.trim() ?? r.getAttribute('aria-label') ?? ''));
    if (!until(labels)) throw new Error(`the suggest widget lists ${JSON.stringify(labels)}`);
    return labels;
  }, 20_000);
}

/**
 * Opens a file of the workspace root that has unsaved changes with Quick Open, whose row then
 * reads "series unsaved changes, file results" (Workbench.open() takes "series, file results").
 */
async function openDirty(name: string): Promise<void> {
  await bench.dismiss();
  await bench.page.keyboard.press('Control+P');
  const input = bench.page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(name);
  const first = bench.page.locator('.quick-input-list .monaco-list-row').first();
  await eventually(async () => expect((await first.getAttribute('aria-label')) ?? '').toBe(`${name} unsaved changes, file results`), 15_000);
  await bench.page.keyboard.press('Enter');
  await eventually(async () => {
    const uri = (await bench.page.locator('.editor-instance .monaco-editor.focused').getAttribute('data-uri', { timeout: 1000 }).catch(() => null)) ?? '';
    if (!decodeURIComponent(uri).endsWith(path.join(workspace, name))) throw new Error(`the focused editor shows ${JSON.stringify(uri)}`);
  }, 15_000);
}

/** Opens a file of the workspace root with a click on its Explorer row, and waits until its editor has the focus. */
async function openFromExplorer(name: string): Promise<void> {
  await bench.dismiss();
  const row = bench.page.locator('.explorer-folders-view .monaco-list-row', { has: bench.page.locator('.label-name', { hasText: new RegExp(`^${name.replace(/[.-]/g, '\\$&')}$`) }) });
  // A double click: a single one opens a preview and leaves the focus in the Explorer.
  await row.dblclick({ timeout: 15_000 });
  await eventually(async () => {
    const uri = (await bench.page.locator('.editor-instance .monaco-editor.focused').getAttribute('data-uri', { timeout: 1000 }).catch(() => null)) ?? '';
    if (!decodeURIComponent(uri).endsWith(path.join(workspace, name))) throw new Error(`the focused editor shows ${JSON.stringify(uri)}`);
  }, 15_000);
}

/** The problems of `files` once `until` accepts their keys (file:line code). */
async function problemsUntil(files: string, until: (rows: ProblemRow[]) => boolean, timeout = 30_000): Promise<ProblemRow[]> {
  return eventually(async () => {
    const rows = await bench.problems(files);
    if (!until(rows)) throw new Error(`the Problems panel lists ${JSON.stringify(rows.map((r) => `${rowKey(r)} ${r.severity}`))}`);
    return rows;
  }, timeout);
}

describe(`Livepatch Lens's workbench features in VS Code (code-server)${ENABLED ? '' : ` — ${SKIP_REASON}`}`, () => {
  beforeAll(async () => {
    if (!ENABLED) return;
    // Only this file's folder: results/e2e/NN-*.png are vscode.test.ts's.
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });
    tour = await startTour('klp-e2e-workbench-', {
      'editor.stickyScroll.enabled': false,
      // Completion only when asked for (Ctrl+Space), so the step shows what the request gave.
      'editor.quickSuggestions': { other: false, comments: false, strings: false },
    }, log);
    ({ tmp, workspace, server, bench } = tour);
  }, 12 * MINUTE);

  afterAll(() => endTour(tour), MINUTE);

  it.skipIf(!ENABLED)('lists every finding of the workspace in the Problems panel with no file open (workspace diagnostics)', async () => {
    await step('workspace-diagnostics', async () => {
      expect(await bench.page.locator('.editor-instance .monaco-editor').count()).toBe(0);
      // Nine rows (three files, six findings): the panel maximized holds them all.
      await bench.page.keyboard.press('Control+Shift+M');
      await bench.page.locator('.markers-panel').waitFor({ state: 'visible', timeout: 10_000 });
      await bench.runCommand('View: Toggle Maximized Panel');
      const rows = await problemsUntil('', (all) => all.length >= EXAMPLE_FINDINGS.length);
      expect(rows.map(rowKey).sort()).toEqual(EXAMPLE_FINDINGS);
      for (const row of rows) {
        expect(row.source).toBe('klp-lens');
        expect(row.severity).toBe('warning');
      }
      // Still no editor: the server reported them for files nobody opened.
      expect(await bench.page.locator('.editor-instance .monaco-editor').count()).toBe(0);
    });
  }, 3 * MINUTE);

  it.skipIf(!ENABLED)("links a problem's code to its page, which opens in the editor", async () => {
    await step('code-link', async () => {
      const link = bench.page.locator('.markers-panel .monaco-list-row a.monaco-link', { has: bench.page.locator('.marker-code', { hasText: /^missing-replace$/ }) });
      await link.waitFor({ timeout: 10_000 });
      // server/src/lsp/diagnosticReports.ts pageOf(): docs/problems/<code>.md, bundled with the extension.
      const href = (await link.getAttribute('href')) ?? '';
      expect(href).toMatch(/\/docs\/problems\/missing-replace\.md$/);
      await link.click();
      // The editor part is hidden while the panel is maximized.
      await bench.page.waitForTimeout(1000);
      if (!(await bench.page.locator('.part.editor').isVisible())) await bench.runCommand('View: Toggle Maximized Panel');
      const tab = bench.page.locator('.tabs-container .tab.active .tab-label');
      await eventually(async () => expect((await tab.innerText()).trim()).toBe('missing-replace.md'), 20_000);
      await eventually(async () => expect(await editorLine('# missing-replace')).not.toEqual([]));
      await bench.page.keyboard.press('Control+J');
    });
  }, 2 * MINUTE);

  it.skipIf(!ENABLED)('completes a function name in .old_name from the kernel', async () => {
    await step('completion', async (shoot) => {
      await bench.open('lp-cmdline.c');
      // Line 25: `\t\t.old_name = "cmdline_proc_show",`; the name starts at column 16.
      await bench.goTo(25, 16);
      await selectRight('cmdline_proc_show'.length);
      try {
        await bench.page.keyboard.type('cmdline_pr');
        // The editor draws typed text a moment later on a busy machine.
        await eventually(async () => expect(await editorLine('.old_name = "cmdline_pr"')).toHaveLength(1));
        // The cursor is before the closing quote.
        await bench.page.keyboard.press('Control+Space');
        const labels = await suggestions((all) => all.includes('cmdline_proc_show'));
        log(`suggestions: ${JSON.stringify(labels)}`);
        await shoot();
      } finally {
        // Whatever failed, the next test starts from the file as it is on disk.
        await bench.page.keyboard.press('Escape');
        await undoAll();
      }
      expect(readWorkspace('lp-cmdline.c')).toContain('.old_name = "cmdline_proc_show",');
    });
  }, 2 * MINUTE);

  it.skipIf(!ENABLED)('says "did you mean" of a misspelt old_name and fixes it', async () => {
    await step('did-you-mean', async (shoot) => {
      await bench.open('lp-cmdline.c');
      await bench.goTo(25, 16);
      await selectRight('cmdline_proc_show'.length);
      await bench.page.keyboard.type('cmdline_proc_shw');
      // Once the server has read the whole name (the typing goes in letter by letter).
      const rows = await problemsUntil('**/lp-cmdline.c', (all) => all.some((r) => r.code === 'unknown-symbol' && r.message.startsWith('`cmdline_proc_shw`')));
      const typo = rows.find((r) => r.code === 'unknown-symbol')!;
      expect(typo.line).toBe(25);
      expect(typo.severity).toBe('error');
      expect(typo.message).toContain('Did you mean `cmdline_proc_show`?');
      await bench.goTo(25, 20);
      // The quick fix menu open, for the screenshot, then the fix applied.
      await bench.page.keyboard.press('Control+.');
      const fix = bench.page.locator('.action-widget .monaco-list-row.action', { hasText: 'Change to `cmdline_proc_show`' });
      await fix.waitFor({ timeout: 20_000 });
      await shoot();
      await bench.page.keyboard.press('Escape');
      await bench.applyQuickFix('Change to `cmdline_proc_show`');
      await eventually(async () => expect(await editorLine('.old_name = "cmdline_proc_show",')).toHaveLength(1));
      await bench.save();
      expect(readWorkspace('lp-cmdline.c')).toBe(readFileSync(path.join(ROOT, 'examples', 'lp-cmdline.c'), 'utf8'));
      await problemsUntil('**/lp-cmdline.c', (all) => !all.some((r) => r.code === 'unknown-symbol'));
    });
  }, 2 * MINUTE);

  it.skipIf(!ENABLED)('says that a livepatch file is not in the series, and adds it to the series', async () => {
    await step('not-in-series', async (shoot) => {
      // Written to disk before it opens, as a user copies a module.
      copyFileSync(path.join(workspace, 'lp-cmdline.c'), path.join(workspace, 'lp-new.c'));
      // Quick Open may not list a file written a moment ago (seen in CI); the Explorer does.
      await openFromExplorer('lp-new.c');
      const rows = await problemsUntil('**/lp-new.c', (all) => all.some((r) => r.code === 'not-in-series'));
      const note = rows.find((r) => r.code === 'not-in-series')!;
      expect(note.line).toBe(1);
      expect(note.severity).toBe('info');
      expect(note.message).toContain('lp-new.c is not in the series');
      await shoot();
      await bench.goTo(1, 1);
      await bench.applyQuickFix('Add lp-new.c to the series');
      // The fix edits the series file, which it opens in the background and leaves unsaved.
      await openDirty('series');
      await eventually(async () => expect(await editorLine('lp-new.c')).toHaveLength(1));
      await bench.save();
      expect(readWorkspace('series')).toBe(`${readFileSync(path.join(ROOT, 'examples', 'series'), 'utf8')}lp-new.c\n`);
      await problemsUntil('**/lp-new.c', (all) => !all.some((r) => r.code === 'not-in-series'));
    });
  }, 2 * MINUTE);

  it.skipIf(!ENABLED)('marks a series step that names no livepatch as an error', async () => {
    await step('unknown-step-target', async () => {
      await bench.open('series');
      const lines = readWorkspace('series').split('\n');
      // The file ends with a newline: its last line is empty.
      const line = lines.length;
      await bench.goTo(line, 1);
      await bench.page.keyboard.type('disable lp_neww');
      // Once the server has read the whole name (the typing goes in letter by letter).
      const rows = await problemsUntil('**/series', (all) => all.some((r) => r.code === 'unknown-step-target' && r.message.startsWith('`lp_neww`')));
      expect(rows.map((r) => `${r.line} ${r.code} ${r.severity}`)).toContain(`${line} unknown-step-target error`);
      expect(rows.find((r) => r.code === 'unknown-step-target')!.message).toContain('`lp_neww` is no livepatch of the series');
      await eventually(async () => expect(await bench.page.locator('.editor-instance .monaco-editor .squiggly-error').count()).toBeGreaterThan(0));
    });
    // The focus back in the editor (the Problems panel's filter had it), the line taken out again.
    await bench.goTo(1, 1);
    await undoAll();
    expect(readWorkspace('series')).not.toContain('lp_neww');
  }, 2 * MINUTE);

  it.skipIf(!ENABLED)('gives a series file named by klpLens.series the series language and its inlay hints', async () => {
    await step('series-setting', async () => {
      writeFileSync(path.join(workspace, 'series-rhel'), readWorkspace('series'));
      await bench.setUserSetting('klpLens.series', 'series-rhel');
      await eventually(() => expect(readUserSettings()['klpLens.series']).toBe('series-rhel'));
      await bench.closeEditor('Settings');
      // Quick Open did not find the file written a moment before: the Explorer lists it.
      await openFromExplorer('series-rhel');
      const mode = bench.statusItem('status.editor.mode');
      await eventually(async () => expect((await mode.innerText()).trim()).toBe('Livepatch Series'));
      // server/src/lsp/features/inlayHints.ts seriesHints(): each line's state after the series.
      await eventually(async () => expect(await bench.inlayHints('proc-fix.patch')).not.toBe(''));
      const hints = await bench.inlayHints('lp-cmdline.c name=lp_cmdline');
      log(`series-rhel's hints: proc-fix.patch ${JSON.stringify(await bench.inlayHints('proc-fix.patch'))}, lp-cmdline.c ${JSON.stringify(hints)}`);
      expect(hints).not.toBe('');
    });
  }, 2 * MINUTE);

  it.skipIf(!ENABLED)('compares the series with this machine, or says why it cannot', async () => {
    await step('compare-running', async () => {
      // The panel away, so that the notification shows in front of the editor.
      if (await bench.page.locator('.part.panel').isVisible()) await bench.page.keyboard.press('Control+J');
      await bench.runCommand('Livepatch Lens: Compare with This Machine');
      // client/src/compareRunning.ts: "Livepatch Lens: <message>." as information or warning.
      const toast = bench.page.locator('.notifications-toasts .notification-toast', { hasText: /Livepatch Lens: (cannot read .*\/proc\/modules|this machine is where the series leads|\d+ differences? between the series and this machine)/ }).first();
      await toast.waitFor({ state: 'visible', timeout: 30_000 });
      // It slides in: done when it stays in place.
      await eventually(async () => {
        const before = await toast.boundingBox();
        await bench.page.waitForTimeout(200);
        expect(await toast.boundingBox()).toEqual(before);
      });
      const text = (await toast.innerText()).replace(/\s+/g, ' ');
      log(`the notification: ${text}`);
      if (/cannot read/.test(text)) {
        // server/src/kernel/running.ts readRunning(): the file it could not read, and why that matters.
        expect(text).toContain("cannot read /proc/modules: is / a machine's root?");
      } else {
        // It ran: its lines went to the output channel, one per livepatch of the series.
        await eventually(() => {
          const channel = outputChannelLog(server!.logsDir, 'Livepatch Lens');
          for (const name of ['proc_fix', 'lp_cmdline', 'lp_cdrom']) expect(channel).toContain(name);
        });
        // A warning offers the output channel.
        const show = toast.locator('.monaco-button', { hasText: 'Show Output' });
        if (await show.isVisible()) await show.click();
      }
    });
  }, 2 * MINUTE);
});
