import { describe, expect, it } from 'vitest';
import { check } from '../../../../server/src/checks/object-named-vmlinux';
import { context, moduleFixture, textAt } from './moduleFixtures';

const ID = 'object-named-vmlinux';

describe('object-named-vmlinux', () => {
  it('reports .name = "vmlinux": the object is a module that never loads, its functions are never patched', async () => {
    const lp = await moduleFixture(ID, 'bad.c');
    const [p, ...rest] = check.run(context([lp]));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: ID, severity: 'error', data: { replacement: 'NULL' }, related: [] });
    expect(textAt(ID, 'bad.c', p.range)).toBe('"vmlinux"');
    expect(p.message).toBe(
      '.name = "vmlinux" does not mean vmlinux: only NULL does (klp_is_module() tests obj->name). The livepatch core looks for a loaded ' +
        'module named vmlinux, finds none and treats this object as a module that is not loaded, so klp_enable_patch() succeeds but ' +
        "cmdline_proc_show is never patched and this object's callbacks never run (no module named vmlinux ever loads: " +
        'klp_module_coming() refuses that name); leave .name out or set it to NULL',
    );
  });

  it('next to a NULL-named object, says both sysfs directories are vmlinux and the patch fails with -EEXIST', async () => {
    const lp = await moduleFixture(ID, 'with-null-object.c');
    const [p] = check.run(context([lp]));
    expect(p.message).toContain(
      'since with_null_object also has a NULL-named (vmlinux) object, both objects get the sysfs directory `vmlinux`: kobject_add() fails and klp_enable_patch() returns -EEXIST, so with_null_object does not load',
    );
    expect(p.related).toEqual([{ location: lp.objects[0].location, message: 'the NULL-named object, also shown as vmlinux' }]);
  });

  it('is silent for a NULL name, and for csv rows (where "vmlinux" is the convention)', async () => {
    const good = await moduleFixture(ID, 'good.c');
    const bad = await moduleFixture(ID, 'bad.c');
    expect(check.run(context([good, { ...bad, kind: 'csv' }]))).toEqual([]);
  });
});
