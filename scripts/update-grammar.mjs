// Copies the C grammar's wasm (npm tree-sitter-c) and web-tree-sitter's runtime wasm into
// grammars/, and records their versions and sha256 in grammars/tree-sitter-c.info.
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const version = (pkg) => JSON.parse(readFileSync(`node_modules/${pkg}/package.json`, 'utf8')).version;

const grammar = require.resolve('tree-sitter-c/tree-sitter-c.wasm');
const runtime = require.resolve('web-tree-sitter/tree-sitter.wasm');
copyFileSync(grammar, 'grammars/tree-sitter-c.wasm');
copyFileSync(runtime, 'grammars/tree-sitter.wasm');

writeFileSync(
  'grammars/tree-sitter-c.info',
  `package: tree-sitter-c
version: ${version('tree-sitter-c')}
file: tree-sitter-c.wasm (copied from node_modules/tree-sitter-c/tree-sitter-c.wasm)
sha256: ${sha256('grammars/tree-sitter-c.wasm')}
runtime: web-tree-sitter ${version('web-tree-sitter')}
update: node scripts/update-grammar.mjs

file: tree-sitter.wasm (the runtime, copied from node_modules/web-tree-sitter/tree-sitter.wasm)
package: web-tree-sitter ${version('web-tree-sitter')}
sha256: ${sha256('grammars/tree-sitter.wasm')}
`,
);
