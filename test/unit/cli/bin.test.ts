// The built command, spawned as a user runs it (`npx klp-lens` runs bin/klp-lens.js).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../helpers/fixtures';

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'bin/klp-lens.js');

describe('bin/klp-lens.js', () => {
  it('is built (npm test runs the build first)', () => {
    expect(existsSync(path.join(ROOT, 'dist/cli.js'))).toBe(true);
  });

  it('runs state on the section 3 series from another directory', () => {
    const result = spawnSync(process.execPath, [BIN, 'state', '--format', 'json', fixturePath('cli/series')], {
      cwd: '/',
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).steps).toHaveLength(3);
  });

  it('exits 2 with a one-line reason on bad usage', () => {
    const result = spawnSync(process.execPath, [BIN, 'nonsense'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^klp-lens: unknown command 'nonsense'/);
  });
});
