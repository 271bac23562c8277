// The kernel the settings name, what the user is told of it, and which changed files mean reading it again.
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKernelContext } from '../../../server/src/kernel/context';
import { emptyKernelContext } from '../../../server/src/kernel/types';
import { describeKernel, kernelOptionsOf, settingPath } from '../../../server/src/lsp/kernelOptions';
import { readSettings } from '../../../server/src/lsp/settings';
import { isKernelFile, kernelWatchers } from '../../../server/src/lsp/watchers';
import { fixturePath } from '../../helpers/fixtures';

const kernelSettings = (kernel: Record<string, string>) => readSettings({ kernel }).kernel;

describe('kernelOptionsOf', () => {
  it('reads relative paths against the folder, ~/ against the home folder, and leaves absolute ones', () => {
    const options = kernelOptionsOf(kernelSettings({ symvers: 'k/Module.symvers', kallsyms: '~/kallsyms', config: '/boot/config' }), '/ws');
    expect(options).toMatchObject({ symvers: '/ws/k/Module.symvers', kallsyms: path.join(os.homedir(), 'kallsyms'), config: '/boot/config' });
    expect(options.kernel).toBeUndefined();
  });

  it('falls back on the running kernel only when no setting names a kernel', () => {
    const build = `/lib/modules/${os.release()}/build`;
    expect(kernelOptionsOf(kernelSettings({}), '/ws')).toEqual(existsSync(build) ? { kernel: build } : expect.not.objectContaining({ kernel: expect.anything() }));
  });
});

describe('describeKernel', () => {
  it('says what was read, in numbers', async () => {
    const options = { symvers: fixturePath('cli/kernel/Module.symvers'), kallsyms: fixturePath('cli/kernel/kallsyms') };
    const status = describeKernel(await loadKernelContext(options), options);
    expect(status).toEqual({
      state: 'ready',
      description: expect.stringMatching(/^kernel: 8 vmlinux symbols, \d+ exports, 1 module; livepatch rules: kernel version not known, the newest behaviour is assumed$/),
      source: options.symvers,
    });
  });

  // Issue 15: which kernel's livepatch rules the analysis follows, or that it assumed the newest.
  it("says whose livepatch rules it follows: the kernel's version and where it was read", async () => {
    const options = { kernel: fixturePath('checks/kernel-lacks-feature/kernel') };
    expect(describeKernel(await loadKernelContext(options), options).description).toMatch(/; livepatch rules of 4\.19\.160 \(the \.config's header\)$/);
    const debian = { kernel: fixturePath('checks/kernel-lacks-feature/kernel'), version: '6.1.0-56-amd64' };
    expect(describeKernel(await loadKernelContext(debian), debian).description).toMatch(
      /; livepatch rules of 6\.1\.y \(6\.1\.0-56-amd64\) \(the kernel version setting\); the newest behaviour assumed for sympos-zero-is-one$/,
    );
  });

  it('separates the thousands', () => {
    const kernel = emptyKernelContext();
    kernel.exports = new Map(Array.from({ length: 24_683 }, (_, i) => [`s${i}`, { symbol: `s${i}`, crc: '0x0', object: 'vmlinux', path: 'vmlinux', exportType: 'EXPORT_SYMBOL', namespace: '' }]));
    kernel.has.symvers = true;
    expect(describeKernel(kernel, { symvers: '/k/Module.symvers' }).description).toMatch(/^kernel: 24,683 exports;/);
  });

  it('says why nothing was read', async () => {
    const options = { symvers: '/nonexistent/Module.symvers' };
    const status = describeKernel(await loadKernelContext(options), options);
    expect(status.state).toBe('none');
    expect(status.description).toMatch(/^nothing read from \/nonexistent\/Module.symvers: cannot read/);
  });

  it('points at the setting when there is no kernel at all', () => {
    expect(describeKernel(emptyKernelContext(), {})).toMatchObject({ state: 'none', source: null, description: expect.stringContaining('klpLens.kernel.buildDir') });
  });
});

describe('kernel files watched', () => {
  const options = { kernel: '/k/build', symvers: '/k/Module.symvers', modules: '/k/mods' };

  it('are the named files, the top of the build directory and the module files', () => {
    expect(isKernelFile('/k/Module.symvers', options)).toBe(true);
    expect(isKernelFile('/k/build/System.map', options)).toBe(true);
    expect(isKernelFile('/k/build/kernel/livepatch/core.c', options)).toBe(false);
    expect(isKernelFile('/k/mods/drivers/cdrom/cdrom.ko.xz', options)).toBe(true);
    expect(isKernelFile('/k/mods/README', options)).toBe(false);
    expect(isKernelFile('/ws/lpa.c', options)).toBe(false);
  });

  it('are watched with patterns relative to their folders', () => {
    expect(kernelWatchers(options).map((w) => w.globPattern)).toEqual([
      { baseUri: 'file:///k', pattern: 'Module.symvers' },
      { baseUri: 'file:///k/build', pattern: '*' },
      { baseUri: 'file:///k/mods', pattern: '**/*.ko*' },
    ]);
  });
});

describe('settingPath (Build Module reads klpLens.kernel.buildDir with it)', () => {
  it('reads a relative setting against the workspace folder, ~/ against the home folder', () => {
    expect(settingPath('kernel', '/ws')).toBe('/ws/kernel');
    expect(settingPath('/abs/build', '/ws')).toBe('/abs/build');
    expect(settingPath('~/linux', '/ws')).toBe(path.join(os.homedir(), 'linux'));
    expect(settingPath('', '/ws')).toBeUndefined();
  });
});
