// The rows of a patched_funcs.csv the target compiles (model/fromCsv.ts objectsForTarget()), as
// register-patches.sh's #if lines decide: a row's condition around its klp_func, the || of an
// object's conditions around the object.
import { describe, expect, it } from 'vitest';
import { livepatchFromCsv } from '../../../server/src/model/fromCsv';
import type { Livepatch } from '../../../server/src/model/livepatch';
import { predefinedFromConfig } from '../../../server/src/model/targetMacros';
import { parsePatchedFuncsCsv } from '../../../server/src/syntax/patchedFuncsCsv';

const CSV = [
  'vmlinux f1 klpp_f1',
  'vmlinux f2 klpp_f2 IS_ENABLED(CONFIG_OFF)',
  'amdgpu g1 klpp_g1 IS_ENABLED(CONFIG_DRM_AMDGPU)',
  'amdgpu g2 klpp_g2 IS_ENABLED(CONFIG_OFF)',
  'gone h1 klpp_h1 IS_ENABLED(CONFIG_OFF)',
  'gone h2 klpp_h2 defined(CONFIG_S390)',
  's390 k1 klpp_k1 defined(CONFIG_S390) || defined(CONFIG_X86_64)',
  'header m1 klpp_m1 defined(FROM_A_HEADER)',
  '',
].join('\n');

const shape = (lp: Livepatch) => Object.fromEntries(lp.objects.map((o) => [o.object, o.funcs.map((f) => f.name)]));
const read = (config?: Record<string, string>) =>
  livepatchFromCsv(parsePatchedFuncsCsv(CSV, 'p/patched_funcs.csv'), config ? { predefined: predefinedFromConfig(new Map(Object.entries(config))) } : {});

describe('patched_funcs.csv rows on the target', () => {
  it('leaves out the rows whose condition the .config makes false, and an object none of whose rows holds', () => {
    const lp = read({ CONFIG_X86_64: 'y', CONFIG_DRM_AMDGPU: 'm' });
    expect(shape(lp)).toEqual({ vmlinux: ['f1'], amdgpu: ['g1'], header: ['m1'], s390: ['k1'] });
    expect(lp.leftOut?.map((l) => [l.function.object, l.function.name, l.condition, l.conditionLocation.range.start.line])).toEqual([
      ['vmlinux', 'f2', 'IS_ENABLED(CONFIG_OFF)', 1],
      ['amdgpu', 'g2', 'IS_ENABLED(CONFIG_OFF)', 3],
      ['gone', 'h1', 'IS_ENABLED(CONFIG_OFF)', 4],
      ['gone', 'h2', 'defined(CONFIG_S390)', 5],
    ]);
  });

  it('counts every row without a .config, as before', () => {
    const lp = read();
    expect(lp.objects.flatMap((o) => o.funcs).length).toBe(8);
    expect(lp.leftOut).toBeUndefined();
  });
});
