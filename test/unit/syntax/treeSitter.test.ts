import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CParser } from '../../../server/src/syntax/treeSitter';

describe('CParser', () => {
  it('parses C with the shipped grammar', async () => {
    const parser = await CParser.create();
    const names = parser.withTree('static int foo(void) { return 1; }\nint bar;\n', (tree) =>
      tree.rootNode.descendantsOfType('function_definition').map((n) => n?.childForFieldName('declarator')?.childForFieldName('declarator')?.text),
    );
    expect(names).toEqual(['foo']);
  });
});

describe('grammars/', () => {
  it('holds the wasm files whose sha256 tree-sitter-c.info records', () => {
    const dir = path.resolve(__dirname, '../../../grammars');
    const info = readFileSync(path.join(dir, 'tree-sitter-c.info'), 'utf8');
    const recorded = [...info.matchAll(/^file: (\S+)[^\n]*\n(?:[^\n]*\n)*?sha256: ([0-9a-f]{64})$/gm)].map((m) => [m[1], m[2]]);
    expect(recorded.map(([file]) => file)).toEqual(['tree-sitter-c.wasm', 'tree-sitter.wasm']);
    for (const [file, sha] of recorded) {
      expect(createHash('sha256').update(readFileSync(path.join(dir, file))).digest('hex'), file).toBe(sha);
    }
  });
});
