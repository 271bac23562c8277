import { describe, expect, it } from 'vitest';
import { check } from '../../../../server/src/checks/missing-terminator';
import { readFixture } from '../../../helpers/fixtures';
import { context, moduleFixture } from './moduleFixtures';

const ID = 'missing-terminator';

describe('missing-terminator', () => {
  it('reports each array without its `{ }`, at its closing brace, with the text that fixes it', async () => {
    const lp = await moduleFixture(ID, 'bad.c');
    const problems = check.run(context([lp]));
    const lines = readFixture('checks', ID, 'bad.c').split('\n');
    expect(problems.map((p) => [p.severity, lines[p.range.start.line].slice(p.range.start.character, p.range.end.character), p.message.split(':')[0]])).toEqual([
      ['error', '}', '`funcs` has no empty element `{ }` at its end'],
      ['error', '}', '`mod_func` is a single struct klp_func where the kernel walks an array'],
      ['error', '}', '`objs` has no empty element `{ }` at its end'],
      ['error', '}', '`states` has no empty element `{ }` at its end'],
    ]);
    expect(problems[0].message).toBe(
      '`funcs` has no empty element `{ }` at its end: klp_for_each_func_static() (include/linux/livepatch.h) stops only at an element ' +
        'whose old_name, new_func and old_sympos are all zero, so it reads past the array into unrelated memory as more klp_func entries; ' +
        'add `{ }` as the last element',
    );
    expect(problems[3].message).toContain('klp_for_each_state() (kernel/livepatch/state.c) stops only at an element whose id is 0');
    const insertAt = problems[0].data?.insertAt as { line: number; character: number };
    expect(lines[insertAt.line].slice(0, insertAt.character)).toBe('\t{ .old_name = "b", .new_func = lp_b, }');
    expect(problems[0].data?.insertText).toBe(', { }');
    expect(problems[1].data).toEqual({});
    expect(problems.every((p) => p.related?.length === 1)).toBe(true);
  });

  it('is silent for terminated arrays, arrays with room for the zero element, and arrays it cannot read', async () => {
    const good = await moduleFixture(ID, 'good.c');
    const unreadable = { ...good, arrays: good.arrays!.map((a) => ({ ...a, terminated: undefined })) };
    expect(check.run(context([good, unreadable]))).toEqual([]);
  });
});
