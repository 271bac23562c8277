import { existsSync } from 'node:fs';
import * as os from 'node:os';
import { describe, expect, it } from 'vitest';
import { kernelSettings, kernelSettingsHere, runningDebian61 } from '../../../editor/src/kernelSettings';
import { DEBIAN_KERNEL, HAS_SHARED } from '../../helpers/shared';

describe('the kernel the examples are opened with', () => {
  it("is ../shared's Debian 6.1 artifacts when present, whatever kernel runs", () => {
    for (const runningDebian61 of [true, false]) {
      expect(kernelSettings({ debianArtifacts: '/shared/kernel/debian', runningDebian61 }, '/repo/examples')).toEqual({ 'klpLens.kernel.buildDir': '/shared/kernel/debian' });
    }
  });

  it('is the running kernel (no setting) when it is a Debian 6.1 kernel with its build directory installed', () => {
    expect(kernelSettings({ debianArtifacts: undefined, runningDebian61: true }, '/repo/examples')).toEqual({});
  });

  it('is the example kernel in examples/kernel otherwise', () => {
    expect(kernelSettings({ debianArtifacts: undefined, runningDebian61: false }, '/repo/examples')).toEqual({ 'klpLens.kernel.buildDir': '/repo/examples/kernel' });
  });

  it('finds the artifacts where the tests do, and the running kernel where the server does', () => {
    const debian = /\bDebian 6\.1\./.test(os.version()) && existsSync(`/lib/modules/${os.release()}/build`);
    expect(runningDebian61()).toBe(debian);
    const expected = HAS_SHARED ? { 'klpLens.kernel.buildDir': DEBIAN_KERNEL } : debian ? {} : { 'klpLens.kernel.buildDir': '/repo/examples/kernel' };
    expect(kernelSettingsHere('/repo/examples')).toEqual(expected);
  });
});
