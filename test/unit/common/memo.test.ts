import { describe, expect, it } from 'vitest';
import { memoizeByObject } from '../../../server/src/common/memo';

describe('memoizeByObject', () => {
  it('computes once per object, again for another object, and keeps an undefined result', () => {
    let calls = 0;
    const f = memoizeByObject((o: { n: number }) => (calls++, o.n > 0 ? { double: o.n * 2 } : undefined));
    const a = { n: 2 };
    expect(f(a)).toBe(f(a));
    expect(calls).toBe(1);
    expect(f({ n: 2 })).toEqual({ double: 4 });
    expect(calls).toBe(2);
    const zero = { n: 0 };
    expect(f(zero)).toBeUndefined();
    expect(f(zero)).toBeUndefined();
    expect(calls).toBe(3);
  });
});
