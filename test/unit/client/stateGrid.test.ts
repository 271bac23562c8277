import { describe, expect, it } from 'vitest';
import { CELL_STATES, cellLabel } from '../../../client/src/seriesModel';
import { escapeHtml, gridMessageLocation, parseGridMessage, renderStateGrid } from '../../../client/src/stateGrid';
import { EXPECTED_GRID, REFUSAL, REFUSAL_LINE, sampleState, uriOf } from './sampleState';

const NONCE = '0123456789abcdef0123456789abcdef';

/** The attributes of every element with the given tag name and its text, in document order. */
function elements(html: string, tag: string): Array<{ attrs: Record<string, string>; text: string }> {
  const found: Array<{ attrs: Record<string, string>; text: string }> = [];
  for (const m of html.matchAll(new RegExp(`<${tag}((?:\\s[^>]*)?)>([\\s\\S]*?)</${tag}>`, 'g'))) {
    const attrs: Record<string, string> = {};
    for (const a of m[1].matchAll(/([\w-]+)="([^"]*)"/g)) attrs[a[1]] = a[2];
    found.push({ attrs, text: m[2] });
  }
  return found;
}

const cells = (html: string) => elements(html, 'td').filter((td) => td.attrs['data-state'] !== undefined);

describe('renderStateGrid', () => {
  const html = renderStateGrid(sampleState(), NONCE);

  it('has one cell per function and patch, with the state after the series', () => {
    const ids = sampleState().patches.map((p) => p.name);
    const got: Record<string, string[]> = {};
    for (const td of cells(html)) {
      (got[td.attrs['data-function']] ??= [])[ids.indexOf(td.attrs['data-patch'])] = td.attrs['data-state'];
    }
    expect(got).toEqual(EXPECTED_GRID);
  });

  it('orders rows vmlinux first, then modules, each by name', () => {
    const rows = elements(html, 'tr').map((tr) => tr.attrs['data-function']).filter(Boolean);
    expect(rows).toEqual(Object.keys(EXPECTED_GRID));
  });

  it('says every state in words, not color alone, and lets every non-blank cell open', () => {
    for (const td of cells(html)) {
      const state = td.attrs['data-state'] as (typeof CELL_STATES)[number]['state'];
      expect(td.text).toBe(cellLabel(state));
      expect(td.attrs.class).toBe(`cell s-${state}`);
      if (state === 'none') {
        expect(td.attrs['data-open']).toBeUndefined();
      } else {
        expect(td.text).not.toBe('');
        expect(td.attrs['data-open']).toBe('function');
        expect(td.attrs.title.length).toBeGreaterThan(10);
      }
    }
  });

  it('heads each column with the patch, its state and its load position', () => {
    const heads = elements(html, 'th').filter((th) => th.attrs['data-patch'] !== undefined);
    expect(heads.map((th) => th.attrs['data-patch'])).toEqual(['lph', 'lpa', 'lpb', 'lpc', 'lpd', 'lpe', 'lpf', 'lpg']);
    expect(heads.map((th) => th.attrs['data-patch-state'])).toEqual([
      'unloaded', 'replaced', 'replaced', 'enabled', 'enabled', 'refused', 'enabled', 'disabled',
    ]);
    expect(heads[1].text).toContain('replaced by lpc');
    expect(heads[3].attrs.title).toContain('4 of 8 in load order');
  });

  it('keeps each column head to its name and one line of state, the whole refusal in its title', () => {
    const heads = elements(html, 'th').filter((th) => th.attrs['data-patch'] !== undefined);
    // Each span's text, between bars.
    expect(heads.map((th) => th.text.replace(/<\/span><span[^>]*>/g, ' | ').replace(/<[^>]*>/g, ''))).toEqual([
      'lph | unloaded',
      'lpa | replaced by lpc',
      'lpb | replaced by lpc',
      'lpc | enabled, replace',
      'lpd | enabled',
      `lpe | refused: ${escapeHtml(REFUSAL_LINE)}`,
      'lpf | enabled',
      'lpg | disabled',
    ]);
    expect(heads[5].attrs.title).toBe(escapeHtml(`lpe (livepatch module in C, not replace), 6 of 8 in load order: refused: ${REFUSAL}. /work/lp/lpe.c`));
  });

  it('lets a row head break after its object, and says what the grid shows outside it, to fit half an editor area', () => {
    const heads = elements(html, 'th').filter((th) => th.attrs.scope === 'row');
    expect(heads[0].text).toBe('vmlinux:<wbr>cmdline_proc_show,1');
    expect(html).toContain('<p id="grid-caption">Each function any patch names (rows)');
    expect(html).toContain('<table id="state-grid" aria-describedby="grid-caption"');
  });

  it('tells which version runs in the last column', () => {
    const runs = elements(html, 'td').filter((td) => td.attrs.class === 'runs');
    expect(runs.map((td) => td.text)).toEqual([
      'lpc runs', 'original code runs', 'lpd runs', 'original code runs', 'original code runs', 'original code runs',
    ]);
  });

  it('explains shadowed and dropped cells in its tooltip', () => {
    const byKey = (fn: string, patch: string) => cells(html).find((td) => td.attrs['data-function'] === fn && td.attrs['data-patch'] === patch)!;
    expect(byKey('vmlinux:uptime_proc_show,1', 'lpc').attrs.title).toContain('lpd');
    expect(byKey('vmlinux:version_proc_show,1', 'lpc').attrs.title).toContain('replaced lpa');
    expect(byKey('cdrom:cdrom_ioctl,1', 'lpf').attrs.title).toContain('cdrom is not loaded');
  });

  it('escapes what comes from files and the kernel', () => {
    expect(html).not.toContain('<b>');
    expect(html).toContain('&#60;b&#62;-EINVAL&#60;/b&#62; &#38; &#34;not compatible&#34;');
    expect(REFUSAL).toContain('<b>');
  });

  it('has a legend with every state', () => {
    const legend = elements(html, 'li').map((li) => li.attrs['data-state']);
    expect(legend).toEqual(CELL_STATES.map((c) => c.state));
  });

  it('lists the steps with the failed one marked', () => {
    const steps = elements(html, 'tr').filter((tr) => tr.attrs['data-step-index'] !== undefined);
    expect(steps.map((tr) => tr.attrs['data-ok'])).toEqual(['true', 'false']);
    expect(steps[1].text).toContain('failed: klp_enable_patch()');
  });

  it('keeps a strict content security policy', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
    expect(csp).toBe(`default-src 'none'; style-src 'nonce-${NONCE}'; script-src 'nonce-${NONCE}';`);
    expect(html).not.toMatch(/unsafe-inline|unsafe-eval/);
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    expect(scripts).toEqual([` nonce="${NONCE}"`]);
    expect([...html.matchAll(/<style([^>]*)>/g)].map((m) => m[1])).toEqual([` nonce="${NONCE}"`]);
    expect(html).not.toMatch(/https?:\/\/|\ssrc=|\shref=|\sstyle=|\son[a-z]+=/);
  });

  it('shows the kernel and the series file', () => {
    expect(html).toContain('<dd id="kernel" data-kernel-state="ready" title="/kernels/debian">Debian 6.1.0-56-amd64: 94,266 vmlinux symbols</dd>');
    expect(html).toContain('<dd id="series">/work/lp/series</dd>');
  });

  it('says so when there is nothing to show', () => {
    const empty = renderStateGrid({ ...sampleState(), patches: [] }, NONCE);
    expect(empty).toContain('<p id="empty">No livepatches found in this workspace.</p>');
    expect(empty).not.toContain('state-grid');
    expect(renderStateGrid(undefined, NONCE)).toMatch(/<p id="empty">The language server has not sent/);
  });

  it('tells patches that share a name apart', () => {
    const state = sampleState();
    state.patches.push({ ...state.patches[1], state: 'enabled', replacedBy: null });
    const heads = elements(renderStateGrid(state, NONCE), 'th').filter((th) => th.attrs['data-patch'] !== undefined);
    expect(heads.map((th) => th.attrs['data-patch']).slice(-2)).toEqual(['lpg', 'lpa#2']);
  });
});

describe('grid messages', () => {
  it('accepts only the two message shapes', () => {
    expect(parseGridMessage({ type: 'openPatch', patchIndex: 2 })).toEqual({ type: 'openPatch', patchIndex: 2 });
    expect(parseGridMessage({ type: 'openFunction', patchIndex: 0, function: 'vmlinux:f,1' })).toEqual({
      type: 'openFunction',
      patchIndex: 0,
      function: 'vmlinux:f,1',
    });
    for (const bad of [null, 'x', { type: 'openPatch' }, { type: 'openPatch', patchIndex: -1 }, { type: 'openPatch', patchIndex: 1.5 },
      { type: 'openFunction', patchIndex: 0 }, { type: 'run', patchIndex: 0 }]) {
      expect(parseGridMessage(bad)).toBeUndefined();
    }
  });

  it('opens the function in the patch, the dropped version for a nop, else the patch', () => {
    const state = sampleState();
    expect(gridMessageLocation(state, { type: 'openFunction', patchIndex: 4, function: 'vmlinux:uptime_proc_show,1' })).toEqual({
      uri: uriOf('lpd'),
      range: { start: { line: 10, character: 4 }, end: { line: 10, character: 20 } },
    });
    expect(gridMessageLocation(state, { type: 'openFunction', patchIndex: 3, function: 'vmlinux:version_proc_show,1' })).toMatchObject({
      uri: uriOf('lpa'),
      range: { start: { line: 11 } },
    });
    expect(gridMessageLocation(state, { type: 'openFunction', patchIndex: 0, function: 'vmlinux:nothing,1' })).toEqual({ uri: uriOf('lph') });
    expect(gridMessageLocation(state, { type: 'openPatch', patchIndex: 6 })).toEqual({ uri: uriOf('lpf') });
    expect(gridMessageLocation(state, { type: 'openPatch', patchIndex: 99 })).toBeUndefined();
    expect(gridMessageLocation(undefined, { type: 'openPatch', patchIndex: 0 })).toBeUndefined();
  });
});
