import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateConstant, type Defines } from '../../../server/src/syntax/cConstants';
import { readMacros } from '../../../server/src/syntax/cMacros';
import { findMacroCalls } from '../../../server/src/syntax/macroCalls';
import { CParser } from '../../../server/src/syntax/treeSitter';

const defines = (entries: Record<string, string | string[]>): Defines =>
  new Map(Object.entries(entries).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));

describe('evaluateConstant', () => {
  it.each([
    ['42', 42],
    ['0x10', 16],
    ['010', 8],
    ['0b101', 5],
    ['3UL', 3],
    ['1 << 4 | 1', 17],
    ['2 + 3 * 4', 14],
    ['(2 + 3) * 4', 20],
    ['-1 + ~0', -2],
    ['!0 && 5 > 3', 1],
    ['1 ? 7 : 9', 7],
    ['true', 1],
    ['false', 0],
    ['NULL', 0],
  ])('%s = %d', (text, value) => {
    expect(evaluateConstant(text, new Map())).toBe(value);
  });

  it('resolves object-like #defines, through chains, ignoring comments in them', () => {
    const d = defines({ BASE: '0x10 /* base */', STATE: '(BASE + 1)', ALIAS: 'STATE // same' });
    expect(evaluateConstant('ALIAS', d)).toBe(17);
  });

  it.each([
    ['an unknown identifier', 'FROM_A_HEADER'],
    ['a cast', '(unsigned long)1'],
    ['sizeof', 'sizeof(int)'],
    ['a function-like macro', 'BIT(3)'],
    ['a division by zero', '1 / 0'],
    ['trailing garbage', '1 2'],
    ['a string', '"1"'],
  ])('is unknown for %s', (_, text) => {
    expect(evaluateConstant(text, new Map())).toBeUndefined();
  });

  it('is unknown for a macro defined differently in several places', () => {
    expect(evaluateConstant('POS', defines({ POS: ['1', '2'] }))).toBeUndefined();
    expect(evaluateConstant('POS', defines({ POS: ['1', '1'] }))).toBe(1);
  });

  it('ends on cyclic, exponential and huge definitions', () => {
    expect(evaluateConstant('A', defines({ A: 'B', B: 'A' }))).toBeUndefined();
    const chain: Record<string, string> = { X0: '3' };
    for (let i = 1; i <= 80; i++) chain[`X${i}`] = `(X${i - 1} * X${i - 1})`;
    expect(evaluateConstant('X80', defines(chain))).toBeUndefined();
    expect(evaluateConstant('('.repeat(500) + '1' + ')'.repeat(500), new Map())).toBeUndefined();
  });
});

describe('readMacros and findMacroCalls', () => {
  let parser: CParser;
  beforeAll(async () => {
    parser = await CParser.create();
  });

  it('collects object-like and function-like macros, also under #if', () => {
    const table = parser.withTree('#define A 1\n#ifdef X\n#define A 2\n#endif\n#define F(x) (x)\n', (t) => readMacros(t.rootNode))!;
    expect(table.objectLike.get('A')).toEqual(['1', '2']);
    expect([...table.functionLike]).toEqual(['F']);
  });

  it('reads arguments with nested parentheses, strings with commas and line continuations', () => {
    const text = 'MODULE_INFO(livepatch, "Y, really");\nEXPORT_SYMBOL(f(a, b)) \\\n;\nKLP_SYMPOS(x,\n\t2)\n#define MODULE_INFO(tag, info) __MODULE_INFO(tag, tag, info)\n';
    const calls = parser.withTree(text, (t) => findMacroCalls(t.rootNode, text, (n) => /^(MODULE_INFO|EXPORT_SYMBOL|KLP_SYMPOS)$/.test(n)))!;
    expect(calls.map((c) => [c.name, c.args.map((a) => a.text)])).toEqual([
      ['MODULE_INFO', ['livepatch', '"Y, really"']],
      ['EXPORT_SYMBOL', ['f(a, b)']],
      ['KLP_SYMPOS', ['x', '2']],
    ]);
    expect(text.slice(calls[0].start, calls[0].end)).toBe('MODULE_INFO(livepatch, "Y, really");');
  });

  it('does not run past an argument list that never closes', () => {
    const text = 'EXPORT_SYMBOL(' + 'a,'.repeat(5000);
    expect(parser.withTree(text, (t) => findMacroCalls(t.rootNode, text, (n) => n === 'EXPORT_SYMBOL'))).toEqual([]);
  });
});
