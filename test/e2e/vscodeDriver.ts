// Drives a VS Code workbench (code-server in Chromium) the way a user does, with the keyboard
// wherever VS Code has a key for it, and reads back what the user sees: the Problems panel's
// rows, hovers, inlay hints, tree rows, status bar items. Selectors are VS Code 1.100's.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { expect, vi } from 'vitest';
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';

/** As /work/shared/reference/real-editor-and-kernel.md found Debian's Chromium to run here. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, timeout: 60_000 });
}

/** A row of the Problems panel, as it reads: file, code, 1-based line and column. */
export interface ProblemRow {
  file: string;
  severity: string;
  source: string;
  code: string;
  line: number;
  column: number;
  message: string;
}

/** A row of a tree view: its depth (1 = top level), label and description. */
export interface TreeRow {
  level: number;
  label: string;
  description: string;
}

/** A window progress as the status bar shows it: the item's text and its icon's classes. */
export interface ProgressItem {
  text: string;
  icon: string;
}

/** "[Ln 14, Col 6]" as the Problems panel writes a marker's position. */
export function parseMarkerPosition(text: string): { line: number; column: number } | undefined {
  const m = /\[Ln (\d+), Col (\d+)\]/.exec(text);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
}

/** Retries `check` until it passes (it throws until then); the last error says what was seen. */
export function eventually<T>(check: () => Promise<T> | T, timeout = 30_000): Promise<T> {
  return vi.waitFor(check, { timeout, interval: 250 });
}

export class Workbench {
  constructor(
    readonly page: Page,
    /** The workspace folder, to tell which file an editor shows. */
    readonly workspace: string,
  ) {}

  async ready(): Promise<void> {
    await this.page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    // The explorer lists the workspace once the remote file system answers.
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  }

  /** Closes whatever widget has the focus (hover, quick input, action list); the mouse rests where it raises no hover. */
  async dismiss(): Promise<void> {
    for (let i = 0; i < 2; i++) await this.page.keyboard.press('Escape');
    // The middle of the activity bar, below its icons.
    await this.page.mouse.move(20, (this.page.viewportSize()?.height ?? 800) / 2 + 100);
  }

  /** Opens `relative` (from the workspace) with Quick Open and waits until its editor has the focus. */
  async open(relative: string): Promise<void> {
    await this.dismiss();
    const base = path.basename(relative);
    await this.quickInput('Control+P', relative);
    const first = this.page.locator('.quick-input-list .monaco-list-row').first();
    // A row reads "cmdline.c kernel/source/fs/proc, file results" (the folder only below the root).
    const dir = path.dirname(relative);
    const wanted = `${dir === '.' ? base : `${base} ${dir}`},`;
    await eventually(async () => {
      const label = (await first.getAttribute('aria-label')) ?? '';
      if (!label.startsWith(wanted)) throw new Error(`Quick Open's first row is ${JSON.stringify(label)}`);
    }, 15_000);
    await this.page.keyboard.press('Enter');
    await eventually(async () => {
      const uri = (await this.page.locator('.editor-instance .monaco-editor.focused').getAttribute('data-uri', { timeout: 1000 }).catch(() => null)) ?? '';
      if (!decodeURIComponent(uri).endsWith(path.join(this.workspace, relative))) throw new Error(`the focused editor shows ${JSON.stringify(uri)}`);
    }, 15_000);
    await this.page.locator('.editor-instance .monaco-editor.focused .view-line').first().waitFor({ timeout: 15_000 });
  }

  /** Runs a command from the Command Palette by its title as the palette shows it ("Category: Title"). */
  async runCommand(title: string): Promise<void> {
    await this.dismiss();
    await this.quickInput('Control+Shift+P', `>${title}`);
    await this.pick(title);
  }

  /** Runs a task as a user does: the Command Palette's "Tasks: Run Task", then its type (the extension providing it), then its label. */
  async runTask(type: string, label: string): Promise<void> {
    await this.runCommand('Tasks: Run Task');
    const input = this.page.locator('.quick-input-widget input.input');
    await input.fill(type);
    await this.pick(type);
    await input.fill(label);
    // The task's row names its source too.
    await this.pick(`${type}: ${label}`);
  }

  /** Picks the row of the open quick input labelled `label` (its fuzzy filter lists others first) with the keyboard. */
  async pick(label: string): Promise<void> {
    const rows = this.page.locator('.quick-input-list .monaco-list-row');
    const labels = await eventually(async () => {
      // A label with an icon starts with a space.
      const all = await rows.evaluateAll((els) => els.map((e) => e.querySelector('.label-name')?.textContent?.trim() ?? ''));
      if (!all.includes(label)) throw new Error(`the quick input lists ${JSON.stringify(all)}`);
      return all;
    }, 20_000);
    // A row with a detail line has a second label.
    const focused = this.page.locator('.quick-input-list .monaco-list-row.focused .label-name').first();
    for (let i = 0; i <= labels.length; i++) {
      if ((await focused.textContent())?.trim() === label) {
        await this.page.keyboard.press('Enter');
        return;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`cannot focus ${JSON.stringify(label)} among ${JSON.stringify(labels)}`);
  }

  /**
   * The rows of the terminal the panel shows, as xterm.js renders them (a long line wraps over
   * several rows). They are in the DOM only with terminal.integrated.gpuAcceleration "off".
   */
  async terminalRows(): Promise<string[]> {
    const rows = await this.page.locator('.terminal-wrapper.active .xterm-rows > div').allTextContents();
    return rows.map((row) => row.replace(/\u00a0/g, ' '));
  }

  /** Shows the terminal in the panel (View: Toggle Terminal when it is not the one shown). */
  async showTerminal(): Promise<void> {
    await this.dismiss();
    const terminal = this.page.locator('.terminal-outer-container');
    if (!(await terminal.isVisible())) await this.page.keyboard.press('Control+Backquote');
    await terminal.waitFor({ state: 'visible', timeout: 10_000 });
  }

  /** Moves the cursor of the active editor to a 1-based line and character column (Go to Line). */
  async goTo(line: number, column: number): Promise<void> {
    await this.dismiss();
    await this.quickInput('Control+G', `${line}:${column}`);
    await this.page.keyboard.press('Enter');
    // The status bar counts columns with tabs expanded: only the line compares.
    await eventually(async () => {
      const text = (await this.page.locator('[id="status.editor.selection"]').innerText()).trim();
      if (!text.startsWith(`Ln ${line},`)) throw new Error(`the cursor is at ${text}`);
    }, 10_000);
  }

  private async quickInput(key: string, text: string): Promise<void> {
    await this.page.keyboard.press(key);
    const input = this.page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    // Go to Line opens with ':' written.
    await input.fill(key === 'Control+G' ? `:${text}` : text);
  }

  /** Shows the hover at the cursor (Ctrl+K Ctrl+I) and returns its text once `until` holds. */
  async hoverAtCursor(until: (text: string) => boolean): Promise<string> {
    await this.page.keyboard.press('Control+K');
    await this.page.keyboard.press('Control+I');
    return eventually(async () => {
      const texts = await this.page.locator('.monaco-editor .monaco-hover:not(.hidden)').allInnerTexts();
      const text = texts.join('\n');
      if (!until(text)) throw new Error(`the hover reads ${JSON.stringify(text)}`);
      return text;
    }, 20_000);
  }

  /**
   * Opens the Problems panel, filters it to the files matching `files` (a glob, as its filter
   * box takes) and reads its rows (markers only, not their related locations). The panel is
   * a virtual list that renders only the rows in view: a list taller than the panel fails
   * rather than reading part of it.
   */
  async problems(files: string): Promise<ProblemRow[]> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) {
      await this.dismiss();
      await this.page.keyboard.press('Control+Shift+M');
      await panel.waitFor({ state: 'visible', timeout: 10_000 });
    }
    const filter = this.page.locator('input[aria-label="Filter Problems"]');
    if ((await filter.inputValue()) !== files) await filter.fill(files);
    const { rows, complete } = await panel.locator('.monaco-list-rows').evaluate((list) => {
      const elements = [...list.querySelectorAll('.monaco-list-row')];
      const rendered = elements.reduce((sum, row) => sum + row.getBoundingClientRect().height, 0);
      return {
        complete: rendered >= list.getBoundingClientRect().height - 1,
        rows: elements.map((row) => ({
          level: row.getAttribute('aria-level'),
          file: row.querySelector('.monaco-icon-label')?.getAttribute('aria-label') ?? '',
          severity: row.querySelector('.marker-icon')?.className ?? '',
          message: row.querySelector('.marker-message')?.textContent ?? '',
          source: row.querySelector('.marker-source')?.textContent ?? '',
          code: row.querySelector('.marker-code')?.textContent ?? '',
          position: row.querySelector('.marker-line')?.textContent ?? '',
        })),
      };
    });
    if (!complete) throw new Error(`the Problems panel is too short to show every problem of ${files}`);
    const out: ProblemRow[] = [];
    let file = '';
    for (const row of rows) {
      if (row.level === '1') file = row.file;
      const position = parseMarkerPosition(row.position);
      if (row.level !== '2' || !position) continue;
      const severity = ['error', 'warning', 'info'].find((s) => row.severity.split(/\s+/).includes(s)) ?? row.severity;
      out.push({ file: path.relative(this.workspace, file), severity, source: row.source, code: row.code, message: row.message, ...position });
    }
    return out;
  }

  /** Opens the quick fixes at the cursor (Ctrl+.) and applies the one whose title contains `title`. */
  async applyQuickFix(title: string): Promise<string[]> {
    await this.dismiss();
    await this.page.keyboard.press('Control+.');
    const rows = this.page.locator('.action-widget .monaco-list-row.action');
    const titles = await eventually(async () => {
      const all = (await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))).filter(Boolean);
      if (!all.some((t) => t.includes(title))) throw new Error(`the quick fixes are ${JSON.stringify(all)}`);
      return all;
    }, 20_000);
    // The keyboard, not a click: the action list sits under a pointer block until the mouse moves.
    for (let i = 0; i <= titles.length; i++) {
      const focused = (await this.page.locator('.action-widget .monaco-list-row.action.focused').getAttribute('aria-label')) ?? '';
      if (focused.includes(title)) {
        await this.page.keyboard.press('Enter');
        await this.page.locator('.action-widget').waitFor({ state: 'hidden', timeout: 10_000 });
        return titles;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`cannot focus the quick fix ${JSON.stringify(title)} among ${JSON.stringify(titles)}`);
  }

  /** Saves the changes of the active editor once it has some (a quick fix's edit lands after its list closes). */
  async save(): Promise<void> {
    const dirty = this.page.locator('.tabs-container .tab.active.dirty');
    await dirty.waitFor({ timeout: 10_000 });
    await this.page.keyboard.press('Control+S');
    await dirty.waitFor({ state: 'detached', timeout: 10_000 });
  }

  /**
   * The inlay hints on the visible line of the active editor whose text starts with `lineStart`
   * (after its indentation). VS Code 1.100 renders an inlay hint as injected text: spans
   * styled by generated `dyn-rule-*` classes inside the line (no `.inlay-hint` element).
   */
  async inlayHints(lineStart: string): Promise<string> {
    const lines = this.page.locator('.editor-instance .monaco-editor.focused .view-line');
    const found = await lines.evaluateAll(
      (elements, start) =>
        elements
          .filter((line) => (line.textContent ?? '').replace(/\u00a0/g, ' ').trimStart().startsWith(start))
          .map((line) =>
            [...line.querySelectorAll('span[class*="dyn-rule-"]')]
              .map((span) => span.textContent ?? '')
              .join('')
              .replace(/\u00a0/g, ' ')
              .trim(),
          ),
      lineStart,
    );
    if (found.length === 0) throw new Error(`no visible line starts with ${JSON.stringify(lineStart)}`);
    return found.join('\n');
  }

  /** Shows the view container whose activity bar entry is labelled `label`. */
  async showViewContainer(label: string): Promise<void> {
    await this.dismiss();
    const item = this.page.locator(`.activitybar .action-item a.action-label[aria-label^="${label}"]`);
    const checked = await item.evaluate((a) => a.closest('.action-item')?.classList.contains('checked') ?? false);
    if (!checked) await item.click();
  }

  /** The rows of the tree in the view pane titled `title`, in order; `expand` opens the top-level rows with those labels. */
  async treeRows(title: string, expand: string[] = []): Promise<TreeRow[]> {
    const pane = this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: title }) });
    const rows = pane.locator('.pane-body .monaco-list-row');
    await rows.first().waitFor({ timeout: 20_000 });
    for (const label of expand) {
      const row = rows.filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });
      if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
    }
    return rows.evaluateAll((elements) =>
      elements.map((row) => ({
        level: Number(row.getAttribute('aria-level')),
        label: row.querySelector('.label-name')?.textContent ?? '',
        description: row.querySelector('.label-description')?.textContent ?? '',
      })),
    );
  }

  /**
   * Sets the user setting `key` (a string) in the Settings editor (Ctrl+,), which stays open;
   * VS Code writes it to the user settings.json a moment later.
   */
  async setUserSetting(key: string, value: string): Promise<void> {
    await this.dismiss();
    const editor = this.page.locator('.settings-editor');
    if (!(await editor.isVisible())) {
      await this.page.keyboard.press('Control+Comma');
      await editor.waitFor({ state: 'visible', timeout: 10_000 });
    }
    // The search box is an editor: select what it holds and type over it.
    await editor.locator('.settings-header .suggest-input-container .monaco-editor').click();
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.type(`@id:${key}`);
    const input = editor.locator(`[data-key="${key}"] .setting-item-control input`);
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(value);
  }

  /** Closes the editor whose tab reads `title` with the tab's close button. */
  async closeEditor(title: string): Promise<void> {
    const tab = this.page.locator('.tabs-container .tab', { has: this.page.locator('.tab-label', { hasText: new RegExp(`^${title}$`) }) });
    await tab.locator('.tab-actions .action-label').click();
    await tab.waitFor({ state: 'detached', timeout: 10_000 });
  }

  /**
   * Polls the page every 10 ms until the status bar shows a window progress whose text contains
   * `title`, and returns it. VS Code 1.100 turns a window progress without a command (an LSP
   * work-done progress) into a silent notification after 150 ms, and that into the
   * `status.progress` item (a spinning icon and "title: message") after another 150 ms; the
   * item stays at least 150 ms.
   */
  async windowProgress(title: string, timeout = 15_000): Promise<ProgressItem> {
    const statusBar = this.page.locator('.part.statusbar');
    const seen = await statusBar.evaluate(
      (bar, { title, timeout }) =>
        new Promise<ProgressItem | null>((resolve) => {
          const deadline = Date.now() + timeout;
          const poll = () => {
            const item = bar.querySelector('[id="status.progress"]');
            const text = item?.textContent?.trim() ?? '';
            if (item && text.includes(title) && item.getBoundingClientRect().width > 0) resolve({ text, icon: item.querySelector('.codicon')?.className ?? '' });
            else if (Date.now() > deadline) resolve(null);
            else setTimeout(poll, 10);
          };
          poll();
        }),
      { title, timeout },
    );
    if (seen) return seen;
    const items = await statusBar.locator('.statusbar-item').evaluateAll((all) => all.map((e) => `${e.id}: ${e.getAttribute('aria-label') ?? ''}`));
    throw new Error(`no progress naming ${JSON.stringify(title)} showed in ${timeout} ms; the status bar holds ${JSON.stringify(items)}`);
  }

  /**
   * Chooses a folder in VS Code's own open dialog (the simple one a browser gets): types its
   * path into the dialog's box, then presses the dialog's button labelled `button`.
   */
  async chooseFolder(folder: string, button: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    const title = this.page.locator('.quick-input-widget .quick-input-title');
    const dialog = await title.innerText();
    const wanted = `${folder}/`;
    // The dialog completes what is typed, and reads it a moment later (a press before then is
    // lost): the path goes in as one paste, again if the dialog changed it, until it closes.
    await eventually(async () => {
      if ((await title.innerText({ timeout: 1000 }).catch(() => '')) !== dialog) return;
      if ((await input.inputValue()) !== wanted) {
        await input.press('Control+A');
        await this.page.keyboard.insertText(wanted);
      } else {
        await this.page.locator('.quick-input-widget .monaco-button', { hasText: button }).click({ timeout: 1000 }).catch(() => undefined);
      }
      throw new Error(`the folder dialog still shows ${JSON.stringify(await input.inputValue())}`);
    }, 15_000);
  }

  /** The text of the notification toast that contains `text`, once one shows. */
  async notification(text: string): Promise<string> {
    const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
    await toast.waitFor({ state: 'visible', timeout: 20_000 });
    // It slides in: done when it stays in place.
    await eventually(async () => {
      const before = await toast.boundingBox();
      await this.page.waitForTimeout(100);
      expect(await toast.boundingBox()).toEqual(before);
    });
    return (await toast.innerText()).replace(/\s+/g, ' ');
  }

  /** The document of the webview panel that VS Code shows (its page lives in an inner frame). */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  }

  /** Widths in pixels of the visible squiggles of `severity` in the focused editor. */
  async squiggleWidths(severity: 'error' | 'warning'): Promise<number[]> {
    return this.page
      .locator(`.editor-instance .monaco-editor.focused .squiggly-${severity}`)
      .evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().width)));
  }

  statusItem(id: string): Locator {
    return this.page.locator(`[id="${id}"]`);
  }
}

/** The last `lines` lines of code-server's logs (the extension host's and the output channels'). */
export function logTail(logsDir: string, lines = 40): string {
  if (!existsSync(logsDir)) return `(no logs in ${logsDir})`;
  const files = walk(logsDir).filter((f) => /remoteexthost\.log$|remoteagent\.log$|Livepatch Lens\.log$/.test(f));
  return files
    .map((f) => `--- ${path.relative(logsDir, f)}\n${readFileSync(f, 'utf8').split('\n').slice(-lines).join('\n')}`)
    .join('\n');
}

/** The Livepatch Lens output channel as code-server wrote it to its log folder. */
export function outputChannelLog(logsDir: string, channel: string): string {
  const files = existsSync(logsDir) ? walk(logsDir).filter((f) => path.basename(f).endsWith(`-${channel}.log`)) : [];
  return files.map((f) => readFileSync(f, 'utf8')).join('\n');
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}
