// An object with klp symbols, as KLP_RELOC_SYMBOL(_POS) declares them, compiled by GCC: the
// input `klp-lens convert` has work to do on (no fixture holds one). None without GCC.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ByteSample } from './corpus';

const SOURCE = `
extern int cmdline_proc_show(void *, void *) __asm__("\\".klp.sym.rela.vmlinux.vmlinux.cmdline_proc_show,1\\"");
extern int cdrom_check_events(void *, unsigned) __asm__("\\".klp.sym.rela.cdrom.cdrom.cdrom_check_events,0\\"");
extern int printk(const char *, ...);
static const char info_livepatch[] __attribute__((section(".modinfo"), used)) = "livepatch=Y";
int lp_show(void *m, void *v) { printk("lp"); return cmdline_proc_show(m, v); }
int lp_events(void *cdi) { return cdrom_check_events(cdi, 1) + lp_show(cdi, 0); }
`;

export function klpObject(): ByteSample[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'klp-fuzz-object-'));
  try {
    writeFileSync(path.join(dir, 'lp.c'), SOURCE);
    const gcc = spawnSync('gcc', ['-O2', '-c', '-fno-pic', '-mcmodel=kernel', '-ffunction-sections', '-o', 'klp_lp.ko', 'lp.c'], { cwd: dir });
    return gcc.status === 0 ? [{ name: 'klp_lp.ko (compiled)', bytes: readFileSync(path.join(dir, 'klp_lp.ko')) }] : [];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
