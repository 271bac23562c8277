import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { timeRatio } from '../../helpers/scaling';

describe('CParser', () => {
  it('parses C with the shipped grammar', async () => {
    const parser = await CParser.create();
    const names = parser.withTree('static int foo(void) { return 1; }\nint bar;\n', (tree) =>
      tree.rootNode.descendantsOfType('function_definition').map((n) => n?.childForFieldName('declarator')?.childForFieldName('declarator')?.text),
    );
    expect(names).toEqual(['foo']);
  });

  it('reads a /* left open as a comment to the end of the file, as C does', async () => {
    const parser = await CParser.create();
    const text = 'int a;\n/* open\nint b;\n/* again\n';
    const nodes = parser.withTree(text, (tree) => tree.rootNode.children.map((n) => [n?.type, n?.startIndex]));
    expect(nodes).toEqual([['declaration', 0], ['comment', 7]]);
  });

  it('parses in linear time a module whose /* comments never close (npm run fuzz, seed 100013, input 1741)', async () => {
    const parser = await CParser.create();
    const module = readFileSync(path.resolve(__dirname, '../../../examples/lp-cdrom.c'), 'utf8');
    const open = (n: number) => module + `/*\n * ${'text '.repeat(400)}\n`.repeat(n);
    // 8x the comments. Linear: ~8; each /* scanned to the end of the file: ~64 (4x gave 15.3 before the fix).
    expect(timeRatio(open(50), open(400), (text) => parser.withTree(text, () => undefined), 5)).toBeLessThan(24);
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
