// Bundles the command line (and, later, the language server and the client) with esbuild.
import { build } from 'esbuild';

await build({
  entryPoints: { cli: 'server/src/cli/main.ts' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outdir: 'dist',
  sourcemap: true,
  logLevel: 'warning',
  // web-tree-sitter is an ES module that locates itself with import.meta.url, which a CommonJS bundle lacks.
  define: { 'import.meta.url': '__klpImportMetaUrl' },
  banner: { js: "const __klpImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
});
