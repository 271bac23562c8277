// rename-object: the fix of unknown-object.
import { describe, expect, it } from 'vitest';
import { appliedAll, edited, fixesFor, fixture, problemsOf, theFix } from '../fixing';
import { SCENARIOS } from '../fixScenarios';

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
