import { describe, expect, it } from 'vitest';
import pkg from '../../../package.json';
import { SETTINGS_SCHEMA } from '../../../server/src/lsp/settings';

describe("package.json's settings", () => {
  it("are exactly the server's schema", () => {
    expect(pkg.contributes.configuration.properties).toEqual(SETTINGS_SCHEMA);
    expect(pkg.contributes.configuration.title).toBe('Livepatch Lens');
  });

  it('include the kernel, the series file, per-check severity and the trace', () => {
    const keys = Object.keys(pkg.contributes.configuration.properties);
    expect(keys).toEqual(expect.arrayContaining(['klpLens.kernel.buildDir', 'klpLens.kernel.sourceDir', 'klpLens.series', 'klpLens.severity', 'klpLens.trace.server']));
  });
});
