// A SeriesState that exercises every cell state, as the server would send it:
//   lph  enabled, disabled and unloaded before the others load
//   lpa  module, not replace: cmdline, version            -> replaced by lpc; an info in its file
//   lpb  diff, not replace: cmdline, cdrom:cdrom_open     -> replaced by lpc
//   lpc  diff, replace: cmdline, uptime                   -> enabled; drops version and cdrom_open (nops)
//   lpd  module, not replace: uptime                      -> enabled, shadows lpc's uptime; 2 warnings in its file
//   lpe  module: cmdline                                  -> refused by the kernel (two lines); an error in its file
//   lpf  csv: cdrom:cdrom_ioctl                           -> enabled, cdrom not loaded
//   lpg  module: meminfo_proc_show,2                      -> disabled
import { roleOf } from '../../../server/src/analysis/roles';
import { functionKey } from '../../../server/src/model/identity';
import { NO_FINDINGS, type SeriesFunction, type SeriesPatch, type SeriesState } from '../../../server/src/lsp/protocol';
import type { StepResult } from '../../../server/src/simulator/types';

/** Each function's stack after the series, newest first. */
export const STACKS: Record<string, string[]> = {
  'vmlinux:cmdline_proc_show,1': ['lpc'],
  'vmlinux:uptime_proc_show,1': ['lpd', 'lpc'],
};

/** The first line of the kernel's refusal; insmod's follows it, as the simulator writes them. */
export const REFUSAL_LINE = 'klp_enable_patch() failed: <b>-EINVAL</b> & "not compatible"';
export const REFUSAL = `${REFUSAL_LINE}\ninsmod: ERROR: could not insert module lpe.ko: Invalid parameters`;

export const uriOf = (patch: string) => `file:///work/lp/${patch}.c`;

function fn(patch: string, state: SeriesPatch['state'], object: string, name: string, line: number, sympos = 1): SeriesFunction {
  const key = functionKey({ object, name, sympos });
  const stack = STACKS[key] ?? [];
  const active = stack[0] ?? null;
  return {
    key,
    object,
    name,
    sympos,
    stack,
    active,
    role: roleOf({ name: patch, state }, { active, stack }),
    uri: uriOf(patch),
    range: { start: { line, character: 4 }, end: { line, character: 4 + name.length } },
  };
}

function patch(
  name: string,
  kind: SeriesPatch['kind'],
  replace: boolean,
  state: SeriesPatch['state'],
  funcs: Array<[object: string, name: string, sympos?: number]>,
  extra: Partial<SeriesPatch> = {},
): SeriesPatch {
  const objects: SeriesPatch['objects'] = [];
  funcs.forEach(([object, fname, sympos], i) => {
    let obj = objects.find((o) => o.name === object);
    if (!obj) objects.push((obj = { name: object, functions: [] }));
    obj.functions.push(fn(name, state, object, fname, 10 + i, sympos));
  });
  return { name, kind, uri: uriOf(name), replace, state, replacedBy: null, error: null, objects, dropped: [], ...extra };
}

export function sampleState(): SeriesState {
  const steps: StepResult[] = [
    { action: 'load', target: 'lpa', ok: true, error: null, patches: [], functions: [] },
    { action: 'load', target: 'lpe', ok: false, error: REFUSAL, patches: [], functions: [] },
  ];
  return {
    steps,
    seriesUri: 'file:///work/lp/series',
    findings: {
      total: { ...NO_FINDINGS, error: 1, warning: 2, information: 1 },
      byUri: {
        [uriOf('lpa')]: { ...NO_FINDINGS, information: 1 },
        [uriOf('lpd')]: { ...NO_FINDINGS, warning: 2 },
        [uriOf('lpe')]: { ...NO_FINDINGS, error: 1 },
      },
    },
    kernel: { state: 'ready', description: 'Debian 6.1.0-56-amd64: 94,266 vmlinux symbols', source: '/kernels/debian' },
    patches: [
      patch('lph', 'module', false, 'unloaded', [['vmlinux', 'cmdline_proc_show']]),
      patch('lpa', 'module', false, 'replaced', [['vmlinux', 'cmdline_proc_show'], ['vmlinux', 'version_proc_show']], { replacedBy: 'lpc' }),
      patch('lpb', 'diff', false, 'replaced', [['vmlinux', 'cmdline_proc_show'], ['cdrom', 'cdrom_open']], { replacedBy: 'lpc' }),
      patch('lpc', 'diff', true, 'enabled', [['vmlinux', 'cmdline_proc_show'], ['vmlinux', 'uptime_proc_show']], {
        dropped: [
          { key: 'vmlinux:version_proc_show,1', object: 'vmlinux', name: 'version_proc_show', sympos: 1, from: 'lpa', fromIndex: 1 },
          { key: 'cdrom:cdrom_open,1', object: 'cdrom', name: 'cdrom_open', sympos: 1, from: 'lpb', fromIndex: 2 },
        ],
      }),
      patch('lpd', 'module', false, 'enabled', [['vmlinux', 'uptime_proc_show']]),
      patch('lpe', 'module', false, 'refused', [['vmlinux', 'cmdline_proc_show']], { error: REFUSAL }),
      patch('lpf', 'csv', false, 'enabled', [['cdrom', 'cdrom_ioctl']]),
      patch('lpg', 'module', false, 'disabled', [['vmlinux', 'meminfo_proc_show', 2]]),
    ],
  };
}

/** The expected grid: function key -> the state of each patch's cell, in load order. */
export const EXPECTED_GRID: Record<string, string[]> = {
  //                              lph         lpa         lpb         lpc         lpd       lpe        lpf        lpg
  'vmlinux:cmdline_proc_show,1': ['unloaded', 'replaced', 'replaced', 'active', 'none', 'refused', 'none', 'none'],
  'vmlinux:meminfo_proc_show,2': ['none', 'none', 'none', 'none', 'none', 'none', 'none', 'disabled'],
  'vmlinux:uptime_proc_show,1': ['none', 'none', 'none', 'shadowed', 'active', 'none', 'none', 'none'],
  'vmlinux:version_proc_show,1': ['none', 'replaced', 'none', 'dropped', 'none', 'none', 'none', 'none'],
  'cdrom:cdrom_ioctl,1': ['none', 'none', 'none', 'none', 'none', 'none', 'waiting', 'none'],
  'cdrom:cdrom_open,1': ['none', 'none', 'replaced', 'dropped', 'none', 'none', 'none', 'none'],
};
