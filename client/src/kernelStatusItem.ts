// The kernel and the series' summary in the status bar: a language status item (the `{}`
// popup, shown with a livepatch file open) and, because VS Code shows language status only
// for the active editor, a status bar item with the summary whenever the workspace holds
// livepatches, whatever is open.
import * as vscode from 'vscode';
import type { KernelStatus } from '../../server/src/lsp/protocol';
import { COMMANDS } from './commands';
import { KERNEL_STATUS_ID, SERIES_STATUS_ID, SERIES_VIEW_ID } from './ids';
import { kernelStatusView } from './kernelStatus';
import { DOCUMENT_SELECTOR } from './selector';

/** C files count only once the workspace holds livepatches; patch, series and CSV files always. */
const WITHOUT_C = DOCUMENT_SELECTOR.filter((filter) => !('language' in filter && filter.language === 'c'));

export class KernelStatusItem implements vscode.Disposable {
  private readonly item = vscode.languages.createLanguageStatusItem(KERNEL_STATUS_ID, WITHOUT_C);
  private readonly series = vscode.window.createStatusBarItem(SERIES_STATUS_ID, vscode.StatusBarAlignment.Left, -100);
  private kernel: KernelStatus | undefined;
  /** The series in a few words, while the workspace holds livepatches. */
  private summary: string | undefined;

  constructor() {
    this.item.name = 'Livepatch Lens kernel';
    this.series.name = 'Livepatch Lens series';
    // VS Code's own command for every view: shows and focuses it.
    this.series.command = `${SERIES_VIEW_ID}.focus`;
    this.render();
  }

  /** The kernel changed (undefined: the server has not said yet). */
  update(kernel: KernelStatus | undefined): void {
    this.kernel = kernel;
    this.render();
  }

  /** The series changed: `summary` when the workspace holds livepatches, else undefined. */
  updateSeries(summary: string | undefined): void {
    this.summary = summary;
    this.item.selector = summary ? DOCUMENT_SELECTOR : WITHOUT_C;
    this.render();
  }

  private render(): void {
    const view = kernelStatusView(this.kernel, this.summary);
    this.item.text = view.text;
    this.item.detail = view.detail;
    this.item.busy = view.busy;
    this.item.severity = view.severity === 'warning' ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    this.item.command = { title: 'Select Kernel', command: COMMANDS.selectKernel, tooltip: `${view.tooltip}\nChoose the kernel the livepatches are checked against` };
    this.item.accessibilityInformation = { label: `Livepatch Lens ${[view.text, view.detail, view.tooltip].filter(Boolean).join('. ')}` };
    if (!this.summary) {
      this.series.hide();
      return;
    }
    this.series.text = `$(layers) ${this.summary}`;
    this.series.tooltip = `Livepatch Lens: ${this.summary}\n${view.text}: ${view.tooltip}\nShow the Livepatch Series view`;
    this.series.accessibilityInformation = { label: `Livepatch Lens series: ${this.summary}. ${view.text}` };
    this.series.show();
  }

  dispose(): void {
    this.item.dispose();
    this.series.dispose();
  }
}
