// Every esbuild bundle of the repository, each dist/<name>.js, with the options they share:
// `node scripts/build.mjs [name...]` builds the named ones (default: the product, the
// command line, the language server and the VS Code client); scripts/editor.mjs imports
// buildBundles() for the editor's.
import { build } from 'esbuild';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const SHARED = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outdir: 'dist',
  logLevel: 'warning',
  // The VS Code API is the extension host's own module.
  external: ['vscode'],
  // web-tree-sitter is an ES module that locates itself with import.meta.url, which a CommonJS bundle lacks.
  define: { 'import.meta.url': '__klpImportMetaUrl' },
  banner: { js: "const __klpImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

/** The bundles by entry point (dist/<key>.js), in groups built together, with what each group adds to SHARED. */
const GROUPS = [
  // The product (npm run build, the package).
  {
    entryPoints: {
      cli: 'server/src/cli/main.ts',
      server: 'server/src/lsp/main.ts',
      client: 'client/src/extension.ts',
      // A large C module is read in a thread of its own (server/src/model/ownThread.ts).
      moduleWorker: 'server/src/model/moduleWorker.ts',
      // A first reading of a folder of modules is shared with a thread (server/src/kernel/moduleReading.ts).
      moduleReadWorker: 'server/src/kernel/moduleReadWorker.ts',
    },
    sourcemap: true,
  },
  // npm run bench.
  { entryPoints: { 'bench-kernel-index': 'bench/kernel-index.ts', 'bench-lsp': 'bench/lsp.ts', 'bench-compile-check': 'bench/compileCheck.ts', 'bench-full-kernel': 'bench/fullKernel.ts' } },
  // npm run oracle.
  { entryPoints: { oracle: 'oracle/src/main.ts' } },
  // npm start, npm run package, npm run test:electron. It runs in the repository: its dev
  // dependencies (vsce, test-electron) stay in node_modules.
  { entryPoints: { editor: 'editor/src/main.ts' }, packages: 'external' },
  // The suite npm run test:electron runs in VS Code's extension host.
  { entryPoints: { 'electron-suite': 'test/electron/suite.ts' } },
];

const PRODUCT = ['cli', 'server', 'client'];
// The bundles that start a worker thread, and its script: built with them, so never stale.
const WORKERS = { cli: ['moduleWorker', 'moduleReadWorker'], server: ['moduleWorker', 'moduleReadWorker'] };
const BUNDLES = GROUPS.flatMap((g) => Object.keys(g.entryPoints));
const unknownOf = (names) => names.filter((n) => !BUNDLES.includes(n));

/** Builds the named bundles (each group's in one esbuild run); rejects on an unknown name or a build error. */
export async function buildBundles(names) {
  const unknown = unknownOf(names);
  if (unknown.length > 0) throw new Error(`no bundle named ${unknown.join(', ')}`);
  names = [...new Set(names.flatMap((name) => [name, ...(WORKERS[name] ?? [])]))];
  await Promise.all(
    GROUPS.map((group) => {
      const entryPoints = Object.fromEntries(Object.entries(group.entryPoints).filter(([name]) => names.includes(name)));
      return Object.keys(entryPoints).length > 0 ? build({ ...SHARED, ...group, entryPoints }) : undefined;
    }),
  );
}

// Run as a script (not imported by scripts/editor.mjs).
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2);
  if (unknownOf(names).length > 0) {
    process.stderr.write(`no bundle named ${unknownOf(names).join(', ')}\nusage: node scripts/build.mjs [${BUNDLES.join(' | ')}]... (default: ${PRODUCT.join(' ')})\n`);
    process.exit(2);
  }
  await buildBundles(names.length > 0 ? names : PRODUCT);
}
