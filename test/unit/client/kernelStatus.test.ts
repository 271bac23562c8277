import { describe, expect, it } from 'vitest';
import { kernelStatusView } from '../../../client/src/kernelStatus';
import { NO_FINDINGS } from '../../../server/src/lsp/protocol';
import { findingWords, seriesSummary } from '../../../client/src/seriesModel';
import { sampleState } from './sampleState';

const DEBIAN = { state: 'ready' as const, description: '6.1.0-56-amd64: 94,266 vmlinux symbols, 24,683 exports, 1 module, sources', source: '/kernels/debian' };

describe('kernelStatusView', () => {
  it('is busy while the server starts and while it indexes', () => {
    expect(kernelStatusView(undefined)).toMatchObject({ text: 'Starting klp-lens', busy: true });
    expect(kernelStatusView({ state: 'indexing', description: '/lib/modules/6.1.0/build', source: '/lib/modules/6.1.0/build' }, '3 livepatches, no findings')).toEqual({
      text: 'Indexing kernel',
      detail: '3 livepatches, no findings',
      tooltip: '/lib/modules/6.1.0/build\nRead from /lib/modules/6.1.0/build',
      busy: true,
      severity: 'information',
    });
  });

  it('names the kernel and the series in a few words; all it read, and where from, in the tooltip', () => {
    expect(kernelStatusView(DEBIAN, '3 livepatches, 6 warnings')).toEqual({
      text: '6.1.0-56-amd64',
      detail: '3 livepatches, 6 warnings',
      tooltip: `${DEBIAN.description}\nRead from /kernels/debian`,
      busy: false,
      severity: 'information',
    });
    // Without a release, the description starts with "kernel".
    expect(kernelStatusView({ ...DEBIAN, description: 'kernel: 12 vmlinux symbols' }).text).toBe('Kernel');
  });

  it('stays short enough for the popup, which cuts what passes its width', () => {
    // VS Code lays them out as "text – detail" beside the Select Kernel link, in a hover about 500 px wide.
    const view = kernelStatusView(DEBIAN, '12 livepatches, 3 errors, 14 warnings');
    expect(`${view.text} – ${view.detail}`.length).toBeLessThanOrEqual(60);
  });

  it('warns without a kernel and says what to do in the tooltip', () => {
    const view = kernelStatusView({ state: 'none', description: '', source: null });
    expect(view).toMatchObject({ text: 'No kernel', detail: '', busy: false, severity: 'warning' });
    expect(view.tooltip).toMatch(/^Select a kernel/);
    expect(kernelStatusView({ state: 'none', description: 'no /lib/modules/6.1.0/build', source: null }).tooltip).toBe('no /lib/modules/6.1.0/build');
  });
});

describe('seriesSummary', () => {
  it('counts the livepatches and the findings by severity, in words', () => {
    expect(seriesSummary(sampleState())).toBe('8 livepatches, 1 error, 2 warnings, 1 info');
    const one = { ...sampleState(), findings: { total: NO_FINDINGS, byUri: {} } };
    one.patches = one.patches.slice(0, 1);
    expect(seriesSummary(one)).toBe('1 livepatch, no findings');
    // Hints are not counted, as the Problems panel does not count them.
    expect(findingWords({ ...NO_FINDINGS, hint: 3 })).toBe('');
  });
});
