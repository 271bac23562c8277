// What the kernel language status item shows, as plain data: the kernel and the series'
// summary. VS Code's popup lays the item's text and detail out on one line that it does not
// wrap, cutting what passes its width: both stay short, and the kernel's whole description and
// where it was read go to the tooltip of the item's command (and to screen readers).
import type { KernelStatus } from '../../server/src/lsp/protocol';

export interface KernelStatusView {
  text: string;
  detail: string;
  /** Everything known, several lines (the Select Kernel link's tooltip). */
  tooltip: string;
  busy: boolean;
  severity: 'information' | 'warning';
}

/** The kernel's release as its description starts ("6.1.0-56-amd64: 94,266 vmlinux symbols, ..."), or "Kernel" without one. */
function kernelName(description: string): string {
  const name = description.includes(': ') ? description.split(': ')[0] : 'kernel';
  return name === 'kernel' ? 'Kernel' : name;
}

/**
 * `status` undefined: the server has not said yet. `summary`: the series in a few words
 * ("3 livepatches, 6 warnings"), when the workspace holds livepatches.
 */
export function kernelStatusView(status: KernelStatus | undefined, summary?: string): KernelStatusView {
  if (!status) return { text: 'Starting klp-lens', detail: '', tooltip: 'Waiting for the klp-lens language server', busy: true, severity: 'information' };
  const from = status.source ? `\nRead from ${status.source}` : '';
  switch (status.state) {
    case 'indexing':
      return { text: 'Indexing kernel', detail: summary ?? '', tooltip: `${status.description}${from}`, busy: true, severity: 'information' };
    case 'ready':
      return { text: kernelName(status.description), detail: summary ?? '', tooltip: `${status.description}${from}`, busy: false, severity: 'information' };
    case 'none':
      return {
        text: 'No kernel',
        detail: summary ?? '',
        tooltip: status.description || 'Select a kernel build directory or a folder of kernel artifacts',
        busy: false,
        severity: 'warning',
      };
  }
}
