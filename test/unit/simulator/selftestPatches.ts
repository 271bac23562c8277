// The kernel's own livepatch test modules (lib/livepatch/test_klp_*.c in Linux 6.1) as
// the livepatch core sees them, written out by hand. selftests.test.ts checks them
// against the sources when ../shared is present.
import type { SimPatch } from '../../../server/src/simulator/types';
import { patch } from './builders';

export const CALLBACKS_MOD = 'test_klp_callbacks_mod';
export const CALLBACKS_BUSY = 'test_klp_callbacks_busy';

/** test_klp_livepatch.c: cmdline_proc_show in vmlinux. */
export const testKlpLivepatch = patch('test_klp_livepatch', { funcs: ['cmdline_proc_show'] });

/** test_klp_atomic_replace.c: meminfo_proc_show; `replace` is a module parameter. */
export const testKlpAtomicReplace = (replace: boolean): SimPatch =>
  patch('test_klp_atomic_replace', { replace, funcs: ['meminfo_proc_show'] });

/** test_klp_callbacks_demo.c: callbacks on vmlinux and both target modules, one func in the busy one. */
export const testKlpCallbacksDemo = patch('test_klp_callbacks_demo', {
  objects: [
    { name: 'vmlinux', funcs: [] },
    { name: CALLBACKS_MOD, funcs: [] },
    { name: CALLBACKS_BUSY, funcs: [{ name: 'busymod_work_func', sympos: 0 }] },
  ],
});

/** test_klp_callbacks_demo2.c: callbacks on vmlinux only; `replace` is a module parameter. */
export const testKlpCallbacksDemo2 = (replace: boolean): SimPatch =>
  patch('test_klp_callbacks_demo2', { replace, objects: [{ name: 'vmlinux', funcs: [] }] });

/** test_klp_state.c, test_klp_state2.c and test_klp_state3.c (which includes state2.c). */
const statePatch = (name: string, version: number) =>
  patch(name, { replace: true, objects: [{ name: 'vmlinux', funcs: [] }], states: [{ id: 1, version }] });
export const testKlpState = statePatch('test_klp_state', 1);
export const testKlpState2 = statePatch('test_klp_state2', 2);
export const testKlpState3 = statePatch('test_klp_state3', 2);
