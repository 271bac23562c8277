import { existsSync } from 'node:fs';
import { release } from 'node:os';
import { describe, expect, it } from 'vitest';
import { kernelSettings, kernelSettingsHere } from '../../../editor/src/kernelSettings';

describe('the kernel the examples are opened with', () => {
  it('is the running kernel (no setting) when its build directory is installed', () => {
    expect(kernelSettings(true, '/repo/examples')).toEqual({});
  });

  it('is the example kernel in examples/kernel otherwise', () => {
    expect(kernelSettings(false, '/repo/examples')).toEqual({ 'klpLens.kernel.buildDir': '/repo/examples/kernel' });
  });

  it('looks for the running kernel where the server does: /lib/modules/$(uname -r)/build', () => {
    const installed = existsSync(`/lib/modules/${release()}/build`);
    expect(kernelSettingsHere('/repo/examples')).toEqual(installed ? {} : { 'klpLens.kernel.buildDir': '/repo/examples/kernel' });
  });
});
