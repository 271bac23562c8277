// The language status item that says which kernel the server checks against.
import * as vscode from 'vscode';
import type { KernelStatus } from '../../server/src/lsp/protocol';
import { COMMANDS } from './commands';
import { KERNEL_STATUS_ID } from './ids';
import { kernelStatusView } from './kernelStatus';
import { DOCUMENT_SELECTOR } from './selector';

/** C files count only once the workspace holds livepatches; patch, series and CSV files always. */
const WITHOUT_C = DOCUMENT_SELECTOR.filter((filter) => !('language' in filter && filter.language === 'c'));

export class KernelStatusItem implements vscode.Disposable {
  private readonly item = vscode.languages.createLanguageStatusItem(KERNEL_STATUS_ID, WITHOUT_C);

  constructor() {
    this.item.name = 'Livepatch Lens kernel';
    this.update(undefined);
  }

  update(status: KernelStatus | undefined): void {
    const view = kernelStatusView(status);
    this.item.text = view.text;
    this.item.detail = view.detail;
    this.item.busy = view.busy;
    this.item.severity = view.severity === 'warning' ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    this.item.command = { title: 'Select Kernel', command: COMMANDS.selectKernel, tooltip: 'Choose the kernel the livepatches are checked against' };
    this.item.accessibilityInformation = { label: `Livepatch Lens ${view.text}. ${view.detail}` };
  }

  showOnCFiles(show: boolean): void {
    this.item.selector = show ? DOCUMENT_SELECTOR : WITHOUT_C;
  }

  dispose(): void {
    this.item.dispose();
  }
}
