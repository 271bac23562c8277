// `npm start`, `npm run package`, `npm run test:electron`: bundles editor/src/main.ts to
// dist/editor.js (and the electron suite to dist/electron-suite.js) and runs it with this
// script's arguments.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// As in scripts/build.mjs: a CommonJS bundle has no import.meta.url.
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  define: { 'import.meta.url': '__klpImportMetaUrl' },
  banner: { js: "const __klpImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

await Promise.all([
  // Runs in the repository: its dev dependencies (vsce, test-electron) stay in node_modules.
  build({ ...common, entryPoints: ['editor/src/main.ts'], outfile: 'dist/editor.js', packages: 'external' }),
  // Runs in VS Code's extension host, which provides `vscode`.
  build({ ...common, entryPoints: ['test/electron/suite.ts'], outfile: 'dist/electron-suite.js', external: ['vscode'] }),
]);

createRequire(import.meta.url)('../dist/editor.js');
