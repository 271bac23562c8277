import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Node } from 'web-tree-sitter';
import { livepatchFromModule } from '../../../server/src/model/fromModule';
import { CParser } from '../../../server/src/syntax/treeSitter';

/** examples/lp-cdrom.c with `copies` more copies of its patched function, each under its own name. */
function manyFunctions(copies: number): string {
  const text = readFileSync(path.resolve(__dirname, '../../../examples/lp-cdrom.c'), 'utf8');
  const start = text.indexOf('static int livepatch_cdrom_ioctl_media_changed');
  const end = text.indexOf('static struct klp_func');
  const fn = text.slice(start, end);
  const extra = Array.from({ length: copies }, (_, i) => fn.replace('livepatch_cdrom_ioctl_media_changed', `livepatch_copy_${i}`));
  return text.slice(0, end) + extra.join('') + text.slice(end);
}

describe('reading a C module (issue 13, item 4: a 20 MB module)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('makes node objects only for the nodes its readers ask for, not every node of the tree in each reader', async () => {
    const parser = await CParser.create();
    const text = manyFunctions(200);
    const named = parser.withTree(text, (tree) => {
      let count = 0;
      const cursor = tree.walk();
      for (;;) {
        if (cursor.nodeIsNamed) count++;
        if (cursor.gotoFirstChild()) continue;
        while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return count;
      }
    })!;
    const types = vi.spyOn(Node.prototype, 'type', 'get');
    const children = vi.spyOn(Node.prototype, 'namedChildren', 'get');
    const livepatch = livepatchFromModule(parser, text, 'many.c', { name: 'many' });
    expect(livepatch.objects.flatMap((o) => o.funcs).map((f) => f.name)).toEqual(['cdrom_ioctl_media_changed']);
    // Each reader's walk read the children and the type of every node: 31 reads a named node
    // before, 2.6 after (the visitors' own reads of the nodes they asked for).
    expect(types.mock.calls.length + children.mock.calls.length).toBeLessThan(4 * named);
  });
});
