import { describe, expect, it } from 'vitest';
import { Memo } from '../../../server/src/common/memo';

describe('Memo', () => {
  it('computes once per object, again for another object, and keeps an undefined result', () => {
    let calls = 0;
    const memo = new Memo();
    const derive = (o: { n: number }) => (calls++, o.n > 0 ? { double: o.n * 2 } : undefined);
    const f = (o: { n: number }) => memo.get(derive, o);
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

  it('keeps one table per derivation, and none between two memos', () => {
    const key = {};
    const memo = new Memo();
    expect(memo.get(() => 1, key)).toBe(1);
    expect(memo.get(() => 2, key)).toBe(2);
    let calls = 0;
    const derive = () => ++calls;
    expect(memo.get(derive, key)).toBe(1);
    expect(new Memo().get(derive, key)).toBe(2);
  });
});
