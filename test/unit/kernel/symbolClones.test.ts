import fc from 'fast-check';
import { Memo } from '../../../server/src/common/memo';
import { describe, expect, it } from 'vitest';
import { clonesOf } from '../../../server/src/kernel/symbolClones';
import type { ObjectSymbols } from '../../../server/src/kernel/types';

function tableOf(names: string[]): ObjectSymbols {
  return { object: 'vmlinux', source: 'kallsyms', file: 'kallsyms', byName: new Map(names.map((n) => [n, []])), count: names.length } as unknown as ObjectSymbols;
}

/** What clonesOf answers, the slow way. */
const naive = (names: string[], name: string) => [...new Set(names)].filter((n) => n.startsWith(`${name}.`)).sort();

const memo = new Memo();

describe('clonesOf', () => {
  it('finds the compiler clones of a name, sorted, and not the names that merely start alike', () => {
    const table = tableOf(['foo', 'foo.part.0', 'foo.isra.0', 'foobar.isra.0', 'foo_bar', 'bar.cold']);
    expect(clonesOf(memo, table, 'foo')).toEqual(['foo.isra.0', 'foo.part.0']);
    expect(clonesOf(memo, table, 'bar')).toEqual(['bar.cold']);
    expect(clonesOf(memo, table, 'baz')).toEqual([]);
  });

  it('agrees with a scan of every name, dotted names included', () => {
    const word = fc.constantFrom('a', 'b', 'ab', 'isra', '0', 'cold');
    const symbol = fc.array(word, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.'));
    fc.assert(
      fc.property(fc.array(symbol, { maxLength: 30 }), symbol, (names, name) => {
        expect([...clonesOf(memo, tableOf(names), name)]).toEqual(naive(names, name));
      }),
    );
  });
});
