import { describe, expect, it } from 'vitest';
import { check } from '../../../../server/src/checks/unknown-object';
import { emptyKernelContext, type KernelContext } from '../../../../server/src/kernel/types';
import { context, moduleFixture, textAt } from './moduleFixtures';

const ID = 'unknown-object';

/** The kernel of the fixture: cdrom, sr_mod and nf_tables as modules, ext4 built in. */
function kernel(from: { moduleList?: boolean; symvers?: boolean } = { moduleList: true }): KernelContext {
  const k = emptyKernelContext();
  for (const name of ['cdrom', 'sr_mod', 'nf_tables']) k.modules.set(name, { name, builtin: false });
  k.modules.set('ext4', { name: 'ext4', builtin: true });
  k.has.moduleList = from.moduleList ?? false;
  k.has.symvers = from.symvers ?? false;
  return k;
}

describe('unknown-object', () => {
  it('reports each name no loadable module has, with the closest real module name', async () => {
    const lp = await moduleFixture(ID, 'bad.c');
    const problems = check.run(context([lp], kernel()));
    expect(problems.map((p) => [textAt(ID, 'bad.c', p.range), p.severity, p.data?.suggestion ?? null])).toEqual([
      ['"drivers/cdrom/cdrom.ko"', 'error', 'cdrom'],
      ['"nf-tables"', 'error', 'nf_tables'],
      ['"sr_mode"', 'warning', 'sr_mod'],
      ['"ext4"', 'error', 'NULL'],
      ['"a_module_name_far_too_long_for_module_name_len_in_the_kernel"', 'error', null],
    ]);
    expect(problems[1].message).toBe(
      `"nf-tables" cannot be a module name (the kernel names modules after their file, without directory or .ko, with '-' as '_'): ` +
        'find_module() and klp_module_coming() compare names exactly, so this object never matches a module; klp_enable_patch() ' +
        'succeeds but its functions silently stay unpatched. Did you mean "nf_tables"?',
    );
    expect(problems[2].message).toMatch(/^no module of this kernel is named sr_mode: .* Did you mean "sr_mod"\?$/);
    expect(problems[3].message).toMatch(/^ext4 is built into vmlinux on this kernel \(modules.builtin\): find_module\(\) never finds it/);
    expect(problems[4].message).toBe(
      'the object name "a_module_name_far_too_long_for_module_name_len_in_the_kernel" has 60 characters: klp_init_object() refuses ' +
        'names of 56 or more (MODULE_NAME_LEN) and klp_enable_patch() fails with -EINVAL',
    );
    expect(problems[0].related).toEqual([{ location: lp.objects[0].funcs[0].location, message: 'cdrom_check_events would stay unpatched' }]);
  });

  it('with Module.symvers alone (only exporting modules), reports a name it does not list too, saying so', async () => {
    const lp = await moduleFixture(ID, 'bad.c');
    const problems = check.run(context([lp], kernel({ symvers: true })));
    expect(problems.map((p) => textAt(ID, 'bad.c', p.range))).toEqual([
      '"drivers/cdrom/cdrom.ko"',
      '"nf-tables"',
      '"sr_mode"',
      '"ext4"',
      '"a_module_name_far_too_long_for_module_name_len_in_the_kernel"',
    ]);
    expect(problems[2].severity).toBe('warning');
    expect(problems[2].message).toMatch(
      /^no module named sr_mode is known to this kernel \(klp-lens has its Module.symvers, which lists only the modules that export symbols: give its modules.order if sr_mode is one that exports none\): .* Did you mean "sr_mod"\?$/,
    );
  });

  it('without a module list, reports the names that cannot be module names and the name too long for the kernel', async () => {
    const lp = await moduleFixture(ID, 'bad.c');
    expect(check.run(context([lp])).map((p) => [p.data?.object, p.data?.suggestion ?? null])).toEqual([
      ['drivers/cdrom/cdrom.ko', null],
      ['nf-tables', null],
      ['a_module_name_far_too_long_for_module_name_len_in_the_kernel', null],
    ]);
  });

  it('is silent for real module names, NULL and "vmlinux" (object-named-vmlinux reports that)', async () => {
    const good = await moduleFixture(ID, 'good.c');
    expect(check.run(context([good], kernel()))).toEqual([]);
  });

  it('offers no suggestion when nothing is close', async () => {
    const lp = await moduleFixture(ID, 'bad.c');
    lp.objects = [{ ...lp.objects[2], declaredName: 'zzzzzz', object: 'zzzzzz' }];
    const [p] = check.run(context([lp], kernel()));
    expect(p.message).toBe(
      'no module of this kernel is named zzzzzz: find_module() and klp_module_coming() compare names exactly, so this object never ' +
        'matches a module; klp_enable_patch() succeeds but its functions silently stay unpatched',
    );
    expect(p.data).toEqual({ object: 'zzzzzz' });
  });
});
