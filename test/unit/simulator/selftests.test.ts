// The scenarios of tools/testing/selftests/livepatch/test-{livepatch,state,callbacks}.sh
// replayed as steps. Each step's expectation is what the script's expected kernel log
// implies: "patching complete" (enabled), "unpatching complete" (disabled), a quiet
// rmmod / modprobe (ok), "applying patch ... to loading module" (late patching), and the
// refusals it prints.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../server/src/simulator/simulate';
import type { SimPatch, SimStep, SimulationOptions } from '../../../server/src/simulator/types';
import { describeShared, sharedPath } from '../../helpers/shared';
import { disable, load, loadModule, patches, unload, unloadModule } from './builders';
import {
  CALLBACKS_BUSY,
  CALLBACKS_MOD,
  testKlpAtomicReplace,
  testKlpCallbacksDemo,
  testKlpCallbacksDemo2,
  testKlpLivepatch,
  testKlpState,
  testKlpState2,
  testKlpState3,
} from './selftestPatches';

interface Expect {
  /** The kernel's refusal (compared with the error's first line), when the step fails. */
  refused?: string;
  /** Patch statuses after the step, in the builders' notation. */
  patches: string[];
  /** "object:function" -> the patch whose code runs (null: the original). */
  active?: Record<string, string | null>;
}

function replay(steps: Array<[SimStep, Expect]>, options: SimulationOptions = {}): void {
  const results = simulate(
    steps.map(([s]) => s),
    options,
  );
  steps.forEach(([step, want], i) => {
    const r = results[i];
    const where = `step ${i + 1} (${step.action} ${r.target})`;
    expect(r.ok, where).toBe(want.refused === undefined);
    if (want.refused !== undefined) expect(r.error?.split('\n')[0], where).toBe(want.refused);
    expect(r.patches, where).toEqual(patches(...want.patches));
    for (const [key, active] of Object.entries(want.active ?? {})) {
      const [object, name] = key.split(':');
      expect(r.functions.find((f) => f.object === object && f.name === name)?.active, `${where} ${key}`).toBe(active);
    }
  });
}

const LP = 'test_klp_livepatch';
const REPLACE = 'test_klp_atomic_replace';
const CMDLINE = 'vmlinux:cmdline_proc_show';
const MEMINFO = 'vmlinux:meminfo_proc_show';

describe('test-livepatch.sh', () => {
  it('basic function patching', () => {
    replay([
      [load(testKlpLivepatch), { patches: [LP], active: { [CMDLINE]: LP } }],
      [disable(LP), { patches: [`-${LP}`], active: { [CMDLINE]: null } }],
      [unload(LP), { patches: [] }],
    ]);
  });

  it('multiple livepatches', () => {
    replay([
      [load(testKlpLivepatch), { patches: [LP], active: { [CMDLINE]: LP } }],
      [load(testKlpAtomicReplace(false)), { patches: [LP, REPLACE], active: { [CMDLINE]: LP, [MEMINFO]: REPLACE } }],
      [disable(REPLACE), { patches: [LP, `-${REPLACE}`], active: { [CMDLINE]: LP, [MEMINFO]: null } }],
      [unload(REPLACE), { patches: [LP], active: { [CMDLINE]: LP } }],
      [disable(LP), { patches: [`-${LP}`], active: { [CMDLINE]: null } }],
      [unload(LP), { patches: [] }],
    ]);
  });

  it('atomic replace livepatch', () => {
    replay([
      [load(testKlpLivepatch), { patches: [LP], active: { [CMDLINE]: LP } }],
      [
        load(testKlpAtomicReplace(true)),
        { patches: [`${LP}>${REPLACE}`, `R:${REPLACE}`], active: { [CMDLINE]: null, [MEMINFO]: REPLACE } },
      ],
      [unload(LP), { patches: [`R:${REPLACE}`], active: { [MEMINFO]: REPLACE } }],
      [disable(REPLACE), { patches: [`R:-${REPLACE}`], active: { [MEMINFO]: null } }],
      [unload(REPLACE), { patches: [] }],
    ]);
  });
});

describe('test-state.sh', () => {
  const [S1, S2, S3] = ['test_klp_state', 'test_klp_state2', 'test_klp_state3'];

  it('system state modification', () => {
    replay([
      [load(testKlpState), { patches: [`R:${S1}`] }],
      [disable(S1), { patches: [`R:-${S1}`] }],
      [unload(S1), { patches: [] }],
    ]);
  });

  it('taking over system state modification', () => {
    replay([
      [load(testKlpState), { patches: [`R:${S1}`] }],
      [load(testKlpState2), { patches: [`R:${S1}>${S2}`, `R:${S2}`] }],
      [unload(S1), { patches: [`R:${S2}`] }],
      [disable(S2), { patches: [`R:-${S2}`] }],
      [unload(S2), { patches: [] }],
    ]);
  });

  it('compatible cumulative livepatches', () => {
    replay([
      [load(testKlpState2), { patches: [`R:${S2}`] }],
      [load(testKlpState3), { patches: [`R:${S2}>${S3}`, `R:${S3}`] }],
      [unload(S2), { patches: [`R:${S3}`] }],
      [load(testKlpState2), { patches: [`R:${S3}>${S2}`, `R:${S2}`] }],
      [disable(S2), { patches: [`R:${S3}>${S2}`, `R:-${S2}`] }],
      [unload(S2), { patches: [`R:${S3}>${S2}`] }],
      [unload(S3), { patches: [] }],
    ]);
  });

  it('incompatible cumulative livepatches', () => {
    replay([
      [load(testKlpState2), { patches: [`R:${S2}`] }],
      [
        load(testKlpState),
        {
          refused: 'livepatch: Livepatch patch (test_klp_state) is not compatible with the already installed livepatches.',
          patches: [`R:${S2}`],
        },
      ],
      [disable(S2), { patches: [`R:-${S2}`] }],
      [unload(S2), { patches: [] }],
    ]);
  });
});

describe('test-callbacks.sh', () => {
  // The target modules are loaded by the scripts themselves.
  const options = { initiallyUnloaded: [CALLBACKS_MOD, CALLBACKS_BUSY] };
  const DEMO = 'test_klp_callbacks_demo';
  const DEMO2 = 'test_klp_callbacks_demo2';
  const BUSY_FUNC = `${CALLBACKS_BUSY}:busymod_work_func`;

  it('target module before livepatch', () => {
    replay(
      [
        [loadModule(CALLBACKS_MOD), { patches: [] }],
        [load(testKlpCallbacksDemo), { patches: [DEMO] }],
        [disable(DEMO), { patches: [`-${DEMO}`] }],
        [unload(DEMO), { patches: [] }],
        [unloadModule(CALLBACKS_MOD), { patches: [] }],
      ],
      options,
    );
  });

  it('module_coming notifier', () => {
    replay(
      [
        [load(testKlpCallbacksDemo), { patches: [DEMO] }],
        [loadModule(CALLBACKS_MOD), { patches: [DEMO] }],
        [disable(DEMO), { patches: [`-${DEMO}`] }],
        [unload(DEMO), { patches: [] }],
        [unloadModule(CALLBACKS_MOD), { patches: [] }],
      ],
      options,
    );
  });

  it('module_going notifier', () => {
    replay(
      [
        [loadModule(CALLBACKS_MOD), { patches: [] }],
        [load(testKlpCallbacksDemo), { patches: [DEMO] }],
        [unloadModule(CALLBACKS_MOD), { patches: [DEMO] }],
        [disable(DEMO), { patches: [`-${DEMO}`] }],
        [unload(DEMO), { patches: [] }],
      ],
      options,
    );
  });

  it('module_coming and module_going notifiers', () => {
    replay(
      [
        [load(testKlpCallbacksDemo), { patches: [DEMO] }],
        [loadModule(CALLBACKS_MOD), { patches: [DEMO] }],
        [unloadModule(CALLBACKS_MOD), { patches: [DEMO] }],
        [disable(DEMO), { patches: [`-${DEMO}`] }],
        [unload(DEMO), { patches: [] }],
      ],
      options,
    );
  });

  it('target module not present', () => {
    replay(
      [
        [load(testKlpCallbacksDemo), { patches: [DEMO], active: { [BUSY_FUNC]: null } }],
        [disable(DEMO), { patches: [`-${DEMO}`] }],
        [unload(DEMO), { patches: [] }],
      ],
      options,
    );
  });

  // "pre-patch callback -ENODEV" and "module_coming + pre-patch callback -ENODEV" make a
  // callback fail through a module parameter; callbacks are not part of SimPatch.

  // "busy target module" runs the same steps while the transition stalls on
  // busymod_work_func; the simulator completes transitions at once, so the reversal the
  // log shows is an ordinary disable here and every state after a step is the same.
  it.each(['multiple target modules', 'busy target module'])('%s', () => {
    replay(
      [
        [loadModule(CALLBACKS_BUSY), { patches: [] }],
        [load(testKlpCallbacksDemo), { patches: [DEMO], active: { [BUSY_FUNC]: DEMO } }],
        [loadModule(CALLBACKS_MOD), { patches: [DEMO], active: { [BUSY_FUNC]: DEMO } }],
        [unloadModule(CALLBACKS_MOD), { patches: [DEMO], active: { [BUSY_FUNC]: DEMO } }],
        [disable(DEMO), { patches: [`-${DEMO}`], active: { [BUSY_FUNC]: null } }],
        [unload(DEMO), { patches: [] }],
        [unloadModule(CALLBACKS_BUSY), { patches: [] }],
      ],
      options,
    );
  });

  it('multiple livepatches', () => {
    replay(
      [
        [load(testKlpCallbacksDemo), { patches: [DEMO] }],
        [load(testKlpCallbacksDemo2(false)), { patches: [DEMO, DEMO2] }],
        [disable(DEMO2), { patches: [DEMO, `-${DEMO2}`] }],
        [disable(DEMO), { patches: [`-${DEMO}`, `-${DEMO2}`] }],
        [unload(DEMO2), { patches: [`-${DEMO}`] }],
        [unload(DEMO), { patches: [] }],
      ],
      options,
    );
  });

  it('atomic replace', () => {
    replay(
      [
        [load(testKlpCallbacksDemo), { patches: [DEMO] }],
        [load(testKlpCallbacksDemo2(true)), { patches: [`${DEMO}>${DEMO2}`, `R:${DEMO2}`] }],
        [disable(DEMO2), { patches: [`${DEMO}>${DEMO2}`, `R:-${DEMO2}`] }],
        [unload(DEMO2), { patches: [`${DEMO}>${DEMO2}`] }],
        [unload(DEMO), { patches: [] }],
      ],
      options,
    );
  });

  it('late-patches busymod_work_func when the busy module loads after the livepatch', () => {
    const r = simulate([load(testKlpCallbacksDemo), loadModule(CALLBACKS_BUSY)], options);
    expect(r[1].functions).toEqual([
      { object: CALLBACKS_BUSY, name: 'busymod_work_func', sympos: 1, stack: [DEMO], active: DEMO },
    ]);
  });
});

describeShared('the hand-written test modules match lib/livepatch/test_klp_*.c', () => {
  const source = (file: string) => readFileSync(sharedPath('corpus/linux-6.1/lib/livepatch', file), 'utf8');
  const oldNames = (text: string) => [...text.matchAll(/\.old_name\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
  const objectNames = (text: string) => [...text.matchAll(/\.name\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
  const funcNames = (p: SimPatch) => p.objects.flatMap((o) => o.funcs.map((f) => f.name));
  const moduleObjects = (p: SimPatch) => p.objects.map((o) => o.name).filter((n) => n !== 'vmlinux');

  // `replace` is either written in the klp_patch or set from a module parameter.
  it.each([
    ['test_klp_livepatch.c', testKlpLivepatch, false],
    ['test_klp_atomic_replace.c', testKlpAtomicReplace(false), 'parameter'],
    ['test_klp_callbacks_demo.c', testKlpCallbacksDemo, false],
    ['test_klp_callbacks_demo2.c', testKlpCallbacksDemo2(false), 'parameter'],
    ['test_klp_state.c', testKlpState, true],
    ['test_klp_state2.c', testKlpState2, true],
  ] as const)('%s', (file, p, replace) => {
    const text = source(file);
    expect(oldNames(text)).toEqual(funcNames(p));
    expect(objectNames(text)).toEqual(moduleObjects(p));
    expect(/\.replace\s*=\s*true/.test(text)).toBe(replace === true);
    expect(text.includes('patch.replace = replace;')).toBe(replace === 'parameter');
    if (replace !== 'parameter') expect(p.replace).toBe(replace);
    expect(text).toContain('MODULE_INFO(livepatch, "Y")');
    const version = /#define CONSOLE_LOGLEVEL_STATE_VERSION (\d+)/.exec(text)?.[1];
    expect(version === undefined ? [] : [{ id: 1, version: Number(version) }]).toEqual(p.states);
  });

  it('test_klp_state3.c is test_klp_state2.c under another name', () => {
    expect(source('test_klp_state3.c')).toContain('#include "test_klp_state2.c"');
    expect({ ...testKlpState3, name: 'test_klp_state2' }).toEqual(testKlpState2);
  });
});
