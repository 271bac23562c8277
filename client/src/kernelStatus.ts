// What the kernel language status item shows for the server's KernelStatus, as plain data.
// The item's name ("Livepatch Lens kernel") says what the text is about.
import type { KernelStatus } from '../../server/src/lsp/protocol';

export interface KernelStatusView {
  text: string;
  detail: string;
  busy: boolean;
  severity: 'information' | 'warning';
}

/** `undefined`: the server has not said yet. */
export function kernelStatusView(status: KernelStatus | undefined): KernelStatusView {
  if (!status) return { text: 'Starting klp-lens', detail: 'Waiting for the klp-lens language server', busy: true, severity: 'information' };
  const detail = status.source ?? '';
  switch (status.state) {
    case 'indexing':
      return { text: 'Indexing kernel', detail: status.description || detail, busy: true, severity: 'information' };
    case 'ready':
      return { text: status.description || detail || 'Kernel ready', detail, busy: false, severity: 'information' };
    case 'none':
      return {
        text: 'No kernel',
        detail: status.description || 'Select a kernel build directory or a folder of kernel artifacts',
        busy: false,
        severity: 'warning',
      };
  }
}
