import { describe, expect, it } from 'vitest';
import { kernelStatusView } from '../../../client/src/kernelStatus';

describe('kernelStatusView', () => {
  it('is busy while the server starts and while it indexes', () => {
    expect(kernelStatusView(undefined)).toMatchObject({ text: 'Starting klp-lens', busy: true });
    expect(kernelStatusView({ state: 'indexing', description: '/lib/modules/6.1.0/build', source: '/lib/modules/6.1.0/build' })).toEqual({
      text: 'Indexing kernel',
      detail: '/lib/modules/6.1.0/build',
      busy: true,
      severity: 'information',
    });
  });

  it('names the kernel when ready, with where it came from', () => {
    expect(kernelStatusView({ state: 'ready', description: 'Debian 6.1.0-56-amd64: 94,266 vmlinux symbols', source: '/k' })).toEqual({
      text: 'Debian 6.1.0-56-amd64: 94,266 vmlinux symbols',
      detail: '/k',
      busy: false,
      severity: 'information',
    });
  });

  it('warns without a kernel and says what to do', () => {
    const view = kernelStatusView({ state: 'none', description: '', source: null });
    expect(view).toMatchObject({ text: 'No kernel', busy: false, severity: 'warning' });
    expect(view.detail).toMatch(/^Select a kernel/);
    expect(kernelStatusView({ state: 'none', description: 'no /lib/modules/6.1.0/build', source: null }).detail).toBe('no /lib/modules/6.1.0/build');
  });
});
