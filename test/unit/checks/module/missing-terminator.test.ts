import { describe, expect, it } from 'vitest';
import { check } from '../../../../server/src/checks/missing-terminator';
import { SourceText } from '../../../../server/src/edits/sourceText';
import { readFixture } from '../../../helpers/fixtures';
import { context, moduleFixture } from './moduleFixtures';

const ID = 'missing-terminator';

describe('missing-terminator', () => {
  it('reports each array without its `{ }` over its whole initializer, with the text that fixes it', async () => {
    const lp = await moduleFixture(ID, 'bad.c');
    const problems = check.run(context([lp]));
    const text = readFixture('checks', ID, 'bad.c');
    const source = new SourceText(text);
    expect(problems.map((p) => [p.severity, source.slice(p.range), p.message.split(':')[0]])).toEqual([
      ['error', '{\n\t{ .old_name = "a", .new_func = lp_a, },\n\t{ .old_name = "b", .new_func = lp_b, }\n}', '`funcs` has no empty element `{ }` at its end'],
      ['error', '{ .old_name = "c", .new_func = lp_a }', '`mod_func` is a single struct klp_func where the kernel walks an array'],
      ['error', '{\n\t{ .funcs = funcs, },\n\t{ .name = "mod", .funcs = &mod_func, },\n}', '`objs` has no empty element `{ }` at its end'],
      ['error', '{\n\t{ .id = 1, .version = 1, },\n}', '`states` has no empty element `{ }` at its end'],
    ]);
    const lines = text.split('\n');
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
