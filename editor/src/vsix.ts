// `npm run package`: builds the bundles and packs the extension into <repo>/klp-lens-<version>.vsix
// with vsce, offline (--no-dependencies: the bundles hold every dependency) and without a
// question (vsce asks when the manifest names no repository; the README's relative links
// stay relative). .vscodeignore decides what goes in.
import * as path from 'node:path';
import { packageRoot, packageVersion } from '../../server/src/common/packageRoot';
import { runOrFail } from '../../tools/src/exec';

const MINUTE = 60_000;

export function vsixPath(): string {
  return path.join(packageRoot(), `klp-lens-${packageVersion()}.vsix`);
}

/** Bundles dist/cli.js, dist/server.js and dist/client.js (scripts/build.mjs). */
export async function buildExtension(log: (line: string) => void): Promise<void> {
  log('building dist/ (scripts/build.mjs)');
  await runOrFail('the build (scripts/build.mjs)', process.execPath, ['scripts/build.mjs'], { cwd: packageRoot(), timeoutMs: 5 * MINUTE });
}

/** Packs the current dist/ and files into `out` with vsce; no build. */
export async function vscePackage(out: string, log: (line: string) => void): Promise<void> {
  const root = packageRoot();
  // vsce's own JS entry (its package.json "bin"), run by this Node: no shell, no npx.
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  log(`packing ${path.relative(root, out) || out} (vsce package)`);
  await runOrFail('vsce package', process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out], {
    cwd: root,
    timeoutMs: 2 * MINUTE,
  });
}

/** Builds, then packs <repo>/klp-lens-<version>.vsix; returns its absolute path. */
export async function packageExtension(log: (line: string) => void): Promise<string> {
  await buildExtension(log);
  const out = vsixPath();
  await vscePackage(out, log);
  return out;
}
