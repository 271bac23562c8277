// Completion of the kernel's names in a hand-written module and a patched_funcs.csv row, on the
// example kernel (its kallsyms has cmdline_proc_show and version_proc_show; Module.symvers the cdrom module).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { completion } from '../../../../server/src/lsp/features/completion';
import { packageRoot } from '../../../../server/src/common/packageRoot';
import { unmark } from '../../../helpers/cursor';
import { makeView } from '../view';

const dir = mkdtempSync(path.join(tmpdir(), 'klp-lens-completion-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const KERNEL = { kernel: path.join(packageRoot(), 'examples', 'kernel') };

/** The labels offered at the `$0` of `marked`, written as `name`. */
async function offered(name: string, marked: string): Promise<string[]> {
  const { text, positions } = unmark(marked);
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const view = await makeView([file], KERNEL);
  return completion(view, file, positions[0]).items.map((i) => i.label);
}

describe('completion', () => {
  it('offers the functions of the object in old_name', async () => {
    expect(await offered('lp.c', 'static struct klp_func funcs[] = { { .old_name = "cmdline_pr$0", }, { } };')).toEqual(['cmdline_proc_show']);
  });

  it('offers modules in .name and objects and symbols in KLP_RELOC_SYMBOL', async () => {
    expect(await offered('lp.c', 'static struct klp_object objs[] = { { .name = "cd$0", }, { } };')).toEqual(['cdrom']);
    expect(await offered('lp.c', 'extern int x KLP_RELOC_SYMBOL(vmlinux, vmlinux, version_$0);')).toEqual(['version_proc_show']);
    expect(await offered('lp.c', 'extern int x KLP_RELOC_SYMBOL(vm$0')).toEqual(['vmlinux']);
  });

  it("offers objects, then the object's functions, in a patched_funcs.csv row", async () => {
    expect(await offered('patched_funcs.csv', 'vm$0')).toEqual(['vmlinux']);
    expect(await offered('patched_funcs.csv', 'vmlinux cmdline_$0')).toEqual(['cmdline_proc_show']);
    expect(await offered('patched_funcs.csv', 'vmlinux cmdline_proc_show klpp_$0')).toEqual([]);
  });

  it('offers nothing elsewhere', async () => {
    expect(await offered('lp.c', 'int x = cmdline_pr$0;')).toEqual([]);
    expect(await offered('notes.txt', '.old_name = "cmdline_pr$0"')).toEqual([]);
  });
});
