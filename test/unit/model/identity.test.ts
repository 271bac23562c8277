import { describe, expect, it } from 'vitest';
import { functionKey, shownSympos } from '../../../server/src/model/identity';
import { livepatch } from '../../helpers/builders';

describe('functionKey', () => {
  it('treats old_sympos 0 and 1 as the same function, 2 as another', () => {
    const [f0, f1, f2, other] = livepatch('x', {
      funcs: [{ name: 'f', sympos: 0 }, { name: 'f', sympos: 1 }, { name: 'f', sympos: 2 }, { name: 'f', object: 'cdrom' }],
    }).objects.flatMap((o) => o.funcs);
    expect(functionKey(f0)).toBe(functionKey(f1));
    expect(functionKey(f2)).not.toBe(functionKey(f1));
    expect(functionKey(other)).not.toBe(functionKey(f0));
  });
});

describe('shownSympos', () => {
  it('shows sympos 0 as 1 and any other as it is, as sysfs names the function', () => {
    expect([0, 1, 2, 7].map(shownSympos)).toEqual([1, 1, 2, 7]);
    expect(functionKey({ object: 'vmlinux', name: 'f', sympos: 0 })).toBe('vmlinux:f,1');
  });
});
