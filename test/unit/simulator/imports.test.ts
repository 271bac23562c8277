// A livepatch that links against a module's export (modinfo depends:): kernel/module/main.c
// simplify_symbols() / resolve_symbol_wait() refuse it while the module is not loaded, and
// ref_module() pins the module while the livepatch is loaded, enabled or not.
// Found by the oracle (scenario exported-symbol-dependency): the simulator let the module go.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../server/src/simulator/simulate';
import type { SimPatch } from '../../../server/src/simulator/types';
import { disable, load, loadModule, patch, unload, unloadModule } from './builders';

const lpdep: SimPatch = { ...patch('lpdep', { funcs: ['m:f'] }), imports: [{ symbol: 'm_value', module: 'm' }] };

describe('a livepatch that imports a symbol from the module it patches', () => {
  const r = simulate(
    [load(lpdep), loadModule('m'), load(lpdep), unloadModule('m'), disable('lpdep'), unloadModule('m'), unload('lpdep'), unloadModule('m')],
    { initiallyUnloaded: ['m'] },
  );

  it('does not load while the module is not loaded (insmod loads no dependency)', () => {
    expect(r[0].ok).toBe(false);
    expect(r[0].error?.split('\n')).toEqual([
      'lpdep: Unknown symbol m_value (err -2)',
      'insmod: ERROR: could not insert module lpdep.ko: Unknown symbol in module',
    ]);
    expect(r[0].patches).toEqual([]);
  });

  it('keeps the module from being unloaded while it is loaded, even disabled', () => {
    expect(r[2].ok).toBe(true);
    expect(r[3].ok).toBe(false);
    expect(r[3].error).toBe('rmmod: ERROR: Module m is in use by: lpdep');
    expect(r[4].ok).toBe(true);
    expect(r[5].ok).toBe(false);
  });

  it('lets the module go once it is unloaded', () => {
    expect(r[6].ok).toBe(true);
    expect(r[7].ok).toBe(true);
  });
});

describe('a livepatch that imports a symbol another livepatch module exports', () => {
  const user: SimPatch = { ...patch('lp_user', { funcs: ['g'] }), imports: [{ symbol: 'shared', module: 'lp_main', livepatch: true }] };
  const main = patch('lp_main', { funcs: ['f'] });

  it('does not load before the exporter (insmod loads no dependency)', () => {
    const r = simulate([load(user), load(main), load(user)]);
    expect(r[0].error?.split('\n')).toEqual(['lp_user: Unknown symbol shared (err -2)', 'insmod: ERROR: could not insert module lp_user.ko: Unknown symbol in module']);
    expect(r[2].ok).toBe(true);
  });

  it('keeps the exporter loaded while it is loaded, even once the exporter is disabled', () => {
    const r = simulate([load(main), load(user), disable('lp_main'), unload('lp_main'), unload('lp_user'), disable('lp_user'), unload('lp_user'), unload('lp_main')]);
    expect(r[3].error).toBe('rmmod: ERROR: Module lp_main is in use by: lp_user');
    expect(r[4].error).toBe('rmmod: ERROR: Module lp_user is in use');
    expect([r[6].ok, r[7].ok]).toEqual([true, true]);
  });
});
