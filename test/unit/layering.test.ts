// The engine knows nothing of LSP: only server/src/lsp imports the vscode-languageserver packages.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { expect, it } from 'vitest';

const SRC = path.resolve(__dirname, '../../server/src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : name.endsWith('.ts') ? [full] : [];
  });
}

it('no engine file imports vscode-languageserver*', () => {
  const engine = sources(SRC).filter((f) => !f.startsWith(path.join(SRC, 'lsp') + path.sep));
  expect(engine.length).toBeGreaterThan(50);
  const offenders = engine.filter((f) => /from 'vscode-languageserver/.test(readFileSync(f, 'utf8')));
  expect(offenders).toEqual([]);
});
