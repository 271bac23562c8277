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
