// remove-vmlinux-name (object-named-vmlinux) and rename-object (unknown-object).
import { describe, expect, it } from 'vitest';
import { fixesFor } from '../../../server/src/fixes';
import { applied, appliedAll, edited, fixture, problemsOf, shifted, theFix, theProblem } from './fixing';
import { SCENARIOS } from './scenarios';

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

describe('rename-object (unknown-object)', () => {
  /** cdrom, sr_mod and nf_tables are modules; ext4 is built in. */
  const scenario = SCENARIOS.unknownObject;
  const text = fixture('object-name', 'unknown.c');

  it('writes the module name the check suggests, preferred when it is the name kbuild gives the file', async () => {
    const problems = await problemsOf(scenario, text);
    const fixes = problems.map((p) => theFix(p, text));
    expect(fixes.map((f) => [f.title, f.preferred ?? false])).toEqual([
      ['Change the object name to "cdrom"', true],
      ['Change the object name to "nf_tables"', true],
      ['Change the object name to "sr_mod"', false],
      ['Remove .name = "ext4" (built into vmlinux)', true],
    ]);
    const fixed = appliedAll(text, fixes);
    expect(fixed).toBe(
      [
        ['"drivers/cdrom/cdrom.ko"', '"cdrom"'],
        ['"nf-tables"', '"nf_tables"'],
        ['"sr_mode"', '"sr_mod"'],
        ['\t\t.name = "ext4",\n', ''],
      ].reduce((t, [before, after]) => edited(t, before, after), text),
    );
    expect(await problemsOf(scenario, fixed)).toEqual([]);
  });

  it('leaves a built-in module\'s object alone beside a NULL-named object (its functions belong there)', async () => {
    const beside = edited(text, '\t{ }\n};\n\nstatic struct klp_patch', '\t{ .funcs = cdrom_funcs },\n\t{ }\n};\n\nstatic struct klp_patch');
    const ext4 = (await problemsOf(scenario, beside)).find((p) => p.data?.object === 'ext4')!;
    expect(fixesFor(ext4, beside)).toEqual([]);
  });

  it('gives no fix without a suggestion, or once the name has changed', async () => {
    const far = edited(text, '"sr_mode"', '"zzzzzz"');
    const problem = (await problemsOf(scenario, far)).find((p) => p.data?.object === 'zzzzzz')!;
    expect(fixesFor(problem, far)).toEqual([]);
    const [cdrom] = await problemsOf(scenario, text);
    expect(fixesFor(cdrom, edited(text, '"drivers/cdrom/cdrom.ko"', '"cdrom.ko"'))).toEqual([]);
  });
});
