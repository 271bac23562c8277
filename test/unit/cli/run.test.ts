// The command line, run in-process on fixtures: formats, exit codes, bad input.
import { describe, expect, it } from 'vitest';
import { klpLens } from '../../helpers/cli';
import { fixturePath } from '../../helpers/fixtures';
import { DEBIAN_KERNEL, describeShared, sharedPath } from '../../helpers/shared';

const KERNEL = ['--symvers', fixturePath('cli/kernel/Module.symvers'), '--kallsyms', fixturePath('cli/kernel/kallsyms')];
const SERIES = fixturePath('cli/series');

describe('klp-lens state', () => {
  it('gives the state of reference section 3 after lpa, lpb, lpc', async () => {
    const { code, stdout } = await klpLens('state', '--format', 'json', ...KERNEL, SERIES);
    expect(code).toBe(0);
    const { steps } = JSON.parse(stdout);
    expect(steps.map((s: { action: string; target: string; ok: boolean }) => [s.action, s.target, s.ok])).toEqual([
      ['load', 'lpa', true],
      ['load', 'lpb', true],
      ['load', 'lpc', true],
    ]);
    const fn = (step: number, name: string) =>
      steps[step].functions.find((f: { name: string }) => f.name === name);
    expect(fn(1, 'cmdline_proc_show')).toMatchObject({ object: 'vmlinux', sympos: 1, stack: ['lpb', 'lpa'], active: 'lpb' });
    expect(fn(1, 'version_proc_show')).toMatchObject({ stack: ['lpb'], active: 'lpb' });
    expect(steps[1].patches).toEqual([
      { name: 'lpa', replace: false, enabled: true, replacedBy: null },
      { name: 'lpb', replace: false, enabled: true, replacedBy: null },
    ]);
    expect(fn(2, 'version_proc_show')).toMatchObject({ stack: ['lpc'], active: 'lpc' });
    expect(fn(2, 'cmdline_proc_show')).toMatchObject({ stack: [], active: null });
    expect(steps[2].patches).toEqual([
      { name: 'lpa', replace: false, enabled: false, replacedBy: 'lpc' },
      { name: 'lpb', replace: false, enabled: false, replacedBy: 'lpc' },
      { name: 'lpc', replace: true, enabled: true, replacedBy: null },
    ]);
  });

  it('prints a readable text form', async () => {
    const { stdout } = await klpLens('state', ...KERNEL, SERIES);
    expect(stdout).toContain('3. load lpc: ok');
    expect(stdout).toContain('vmlinux:cmdline_proc_show,1 runs original');
    // Issue 15: whose livepatch rules the state follows.
    expect(stdout).toContain('\nlivepatch rules: kernel version not known, the newest behaviour is assumed\n');
  });

  it('says whose livepatch rules it followed: the version given, the text form of check and state alike', async () => {
    for (const command of ['check', 'state']) {
      const { stdout } = await klpLens(command, ...KERNEL, '--kernel-version', '6.1.192', SERIES);
      expect(stdout, command).toContain('\nlivepatch rules of 6.1.192 (the kernel version setting)\n');
    }
  });
});

describe('klp-lens check', () => {
  it('reports overlapping functions at both places, 1-based, file as given', async () => {
    const { stdout } = await klpLens('check', '--format', 'json', ...KERNEL, SERIES);
    const diags: Array<{ file: string; line: number; column: number; code: string; message: string }> =
      JSON.parse(stdout).diagnostics;
    const overlaps = diags.filter((d) => d.code === 'overlapping-function');
    expect(overlaps.map((d) => [d.file.replace(SERIES + '/', ''), d.line])).toEqual(
      expect.arrayContaining([
        ['lpa.c', 15],
        ['lpb.c', 21],
      ]),
    );
    expect(diags.some((d) => d.code === 'missing-replace' && d.file.endsWith('lpb.c'))).toBe(true);
    expect(diags.some((d) => d.code === 'dropped-function' && d.file.endsWith('lpc.c') && d.message.includes('cmdline_proc_show'))).toBe(true);
  });

  it('names the klp symbol a diff turns a module export into', async () => {
    const patch = fixturePath('cli/cdrom/cdrom-media-changed.patch');
    const { stdout } = await klpLens('check', '--format', 'json', ...KERNEL, patch);
    const diag = JSON.parse(stdout).diagnostics.find((d: { code: string }) => d.code === 'exported-symbol-dependency');
    expect(diag).toMatchObject({ file: patch, line: 29, severity: 'information' });
    expect(diag.message).toContain('.klp.sym.cdrom.cdrom_check_events,0');
  });

  it('writes SARIF 2.1.0 with the rules', async () => {
    const { stdout } = await klpLens('check', '--format', 'sarif', ...KERNEL, SERIES);
    const sarif = JSON.parse(stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toContain('overlapping-function');
    expect(sarif.runs[0].results.some((r: { ruleId: string }) => r.ruleId === 'overlapping-function')).toBe(true);
  });
});

describe('bad usage and unreadable input exit 2 with one line', () => {
  it.each([
    [['frobnicate', 'x']],
    [['check']],
    [['check', '--format', 'xml', 'x']],
    [['state', '--format', 'sarif', 'x']],
    [['check', '--no-such-option', 'x']],
  ])('%j', async (argv) => {
    const { code, stderr } = await klpLens(...argv);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toMatch(/^klp-lens: /);
  });

  it('an unreadable kernel file', async () => {
    const { code, stderr } = await klpLens('check', '--symvers', '/nonexistent/Module.symvers', SERIES);
    expect(code).toBe(2);
    expect(stderr).toContain('/nonexistent/Module.symvers');
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a patch that does not exist', async () => {
    const { code, stderr } = await klpLens('check', fixturePath('cli/no-such.patch'));
    expect(code).toBe(2);
    expect(stderr).toContain('no-such.patch');
  });
});

describeShared('klp-lens object on the linux-6.1 corpus with Debian\'s config', () => {
  const tree = sharedPath('corpus/linux-6.1');
  const source = ['--source', tree, '--config', sharedPath('corpus/linux-6.1/debian-config/config.amd64_none_amd64')];

  it('prints FILE<TAB>OBJECT, with the reason when unknown', async () => {
    const { code, stdout } = await klpLens('object', ...source, 'drivers/cdrom/cdrom.c', 'fs/proc/cmdline.c', 'drivers/scsi/sr.c', 'drivers/cdrom/gdrom.c');
    expect(code).toBe(0);
    expect(stdout.split('\n').slice(0, 3)).toEqual(['drivers/cdrom/cdrom.c\tcdrom', 'fs/proc/cmdline.c\tvmlinux', 'drivers/scsi/sr.c\tsr_mod']);
    expect(stdout.split('\n')[3]).toMatch(/^drivers\/cdrom\/gdrom\.c\tunknown\tnot built: .*CONFIG_GDROM is not set/);
  });

  it('gives the deciding Makefile line in json, for absolute paths too', async () => {
    const { stdout } = await klpLens('object', '--format', 'json', ...source, `${tree}/drivers/cdrom/cdrom.c`);
    expect(JSON.parse(stdout)).toEqual({
      objects: [
        {
          file: `${tree}/drivers/cdrom/cdrom.c`,
          object: 'cdrom',
          reason: 'drivers/cdrom/Makefile:2: obj-$(CONFIG_CDROM) += cdrom.o (CONFIG_CDROM=m)',
        },
      ],
    });
  });
});

describe('klp-lens object without a source tree', () => {
  it('says unknown and why', async () => {
    const { stdout } = await klpLens('object', 'drivers/cdrom/cdrom.c');
    expect(stdout).toBe('drivers/cdrom/cdrom.c\tunknown\tno kernel source tree: give --source DIR or --kernel DIR\n');
  });

  describeShared("from Debian 6.1's artifacts alone", () => {
    it('names the module built from a file alone, and unknown for a part of a composite module', async () => {
      const { stdout } = await klpLens('object', '--format', 'json', '--kernel', DEBIAN_KERNEL, 'net/sctp/sctp_diag.c', 'drivers/cdrom/cdrom.c', 'drivers/usb/core/usb.c');
      const rows = (JSON.parse(stdout) as { objects: Array<{ file: string; object: string }> }).objects;
      expect(rows.map((r) => `${r.file} ${r.object}`)).toEqual(['net/sctp/sctp_diag.c sctp_diag', 'drivers/cdrom/cdrom.c cdrom', 'drivers/usb/core/usb.c unknown']);
    });

    it('reads a file of a kernel tree for what it defines, by its path in that tree', async () => {
      const proc = sharedPath('corpus/linux-6.1/fs/proc/cmdline.c');
      const { stdout } = await klpLens('object', '--kernel', DEBIAN_KERNEL, proc, 'fs/proc/cmdline.c');
      expect(stdout.split('\n')[0]).toBe(`${proc}\tvmlinux`);
      expect(stdout.split('\n')[1]).toMatch(/^fs\/proc\/cmdline\.c\tunknown\t.*\(fs\/proc\/cmdline\.c cannot be read here\)$/);
    });
  });
});

describe('klp-lens changed', () => {
  it('needs the source tree and a .config, and says which option gives them', async () => {
    const patch = fixturePath('diff/demo.patch');
    const noSource = await klpLens('changed', ...KERNEL, patch);
    expect(noSource.code).toBe(2);
    expect(noSource.stderr).toContain('give --source DIR');
    const noConfig = await klpLens('changed', '--source', fixturePath('checks/line-shift/kernel/source'), patch);
    expect(noConfig.code).toBe(2);
    expect(noConfig.stderr).toContain("the target's .config");
  });

  it('is listed in the usage', async () => {
    expect((await klpLens('--help')).stdout).toContain('changed PATCH...');
  });
});

describe('klp-lens convert', () => {
  it('keeps the original beside a module it converts in place, and refuses what is not a module', async () => {
    const { mkdtempSync, writeFileSync, readFileSync, existsSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(tmpdir(), 'klp-cli-convert-'));
    const junk = path.join(dir, 'junk.ko');
    writeFileSync(junk, 'not an elf');
    const refused = await klpLens('convert', junk);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('junk.ko: not converted: not an ELF file');
    expect(readFileSync(junk, 'utf8')).toBe('not an elf');
    expect(existsSync(`${junk}.orig`)).toBe(false);
  });
});
