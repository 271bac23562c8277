// Bundles the command line, the language server and the VS Code client with esbuild.
import { build } from 'esbuild';

await build({
  entryPoints: {
    cli: 'server/src/cli/main.ts',
    server: 'server/src/lsp/main.ts',
    client: 'client/src/extension.ts',
  },
  // The VS Code API is the extension host's own module.
  external: ['vscode'],
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
