// remove-vmlinux-name: the fix of object-named-vmlinux.
import { describe, expect, it } from 'vitest';
import { applied, edited, fixesFor, fixture, problemsOf, shifted, theFix, theProblem } from '../fixing';
import { SCENARIOS } from '../fixScenarios';

describe('remove-vmlinux-name (object-named-vmlinux)', () => {
  const scenario = SCENARIOS.objectNamedVmlinux;
  const text = fixture('object-name', 'vmlinux.c');

  async function fixed(source: string): Promise<string> {
    const fix = theFix(await theProblem(scenario, source), source);
    expect(fix.preferred).toBe(true);
    const result = applied(source, fix);
    expect(await problemsOf(scenario, result)).toEqual([]);
    return result;
  }

  it('removes the `.name = "vmlinux",` line: NULL means vmlinux', async () => {
    const fix = theFix(await theProblem(scenario, text), text);
    expect(fix.title).toBe('Remove .name = "vmlinux" (NULL means vmlinux)');
    expect(await fixed(text)).toBe(edited(text, '\t\t.name = "vmlinux",\n', ''));
  });

  it('removes the member from a line with others', async () => {
    const inline = edited(text, '\t{\n\t\t.name = "vmlinux",\n\t\t.funcs = funcs,\n\t},', '\t{ .name = "vmlinux", .funcs = funcs, },');
    expect(await fixed(inline)).toBe(edited(inline, '{ .name = "vmlinux", .funcs = funcs, }', '{ .funcs = funcs, }'));
    const last = edited(text, '\t{\n\t\t.name = "vmlinux",\n\t\t.funcs = funcs,\n\t},', '\t{ .funcs = funcs, .name = "vmlinux" },');
    expect(await fixed(last)).toBe(edited(last, '{ .funcs = funcs, .name = "vmlinux" }', '{ .funcs = funcs, }'));
  });

  it('writes NULL for a positional name', async () => {
    const positional = edited(text, '\t{\n\t\t.name = "vmlinux",\n\t\t.funcs = funcs,\n\t},', '\t{ "vmlinux", funcs },');
    expect(await fixed(positional)).toBe(edited(positional, '{ "vmlinux", funcs }', '{ NULL, funcs }'));
  });

  it('gives no fix beside a NULL-named object (two vmlinux objects clash too), or once the name has changed', async () => {
    const beside = edited(text, '\t{ }\n};\n\nstatic struct klp_patch', '\t{ .funcs = funcs, },\n\t{ }\n};\n\nstatic struct klp_patch');
    expect(fixesFor(await theProblem(scenario, beside), beside)).toEqual([]);
    const problem = await theProblem(scenario, text);
    expect(fixesFor(problem, edited(text, '.name = "vmlinux"', '.name = "vmlinuz"'))).toEqual([]);
    expect(fixesFor(problem, shifted(text))).toEqual([]);
  });
});
