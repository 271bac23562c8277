// Loads web-tree-sitter and the C grammar shipped in grammars/ (see
// grammars/tree-sitter-c.info for its version and sha256).
import * as path from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';
import { packageRoot } from '../common/packageRoot';
import { lexLine, newLexState } from './cLine';

export type { Node as SyntaxNode, Tree } from 'web-tree-sitter';

let language: Promise<Language> | undefined;

function loadLanguage(): Promise<Language> {
  language ??= (async () => {
    const root = packageRoot();
    await Parser.init({
      // In the bundle, tree-sitter.wasm is copied beside the grammar.
      locateFile: (name: string) => path.join(root, 'grammars', name),
    });
    return Language.load(path.join(root, 'grammars', 'tree-sitter-c.wasm'));
  })();
  return language;
}

/**
 * `text`, with a `*\/` after it when it ends inside a block comment. C reads an unclosed `/*` as a
 * comment to the end of the file; tree-sitter's lexer scans to the end for it, fails, and scans
 * again for each `/*` error recovery meets after it: quadratic in their number (`npm run fuzz`,
 * seed 100013, input 1741). Added past the end, it leaves every offset in `text` as it was.
 */
function closeComment(text: string): string {
  const lastOpen = text.lastIndexOf('/*');
  // A comment left open has no `*\/` after its `/*`, which is at or before the last one.
  if (lastOpen < 0 || text.lastIndexOf('*/') >= lastOpen + 2) return text;
  const state = newLexState();
  for (const line of text.split('\n')) lexLine(line, state);
  return state.inComment ? text + '*/' : text;
}

/**
 * A C parser. A WASM trap leaves a tree-sitter parser unusable, so after a
 * failure the parser is thrown away and a new one made (bash-language-server's lesson).
 */
export class CParser {
  private parser: Parser;

  private constructor(private readonly lang: Language) {
    this.parser = CParser.make(lang);
  }

  static async create(): Promise<CParser> {
    return new CParser(await loadLanguage());
  }

  private static make(lang: Language): Parser {
    const parser = new Parser();
    parser.setLanguage(lang);
    return parser;
  }

  /** Parses `text`; returns undefined when the parser fails. The caller must `tree.delete()` it. */
  parse(text: string): Tree | undefined {
    try {
      return this.parser.parse(closeComment(text)) ?? undefined;
    } catch {
      this.parser.delete();
      this.parser = CParser.make(this.lang);
      return undefined;
    }
  }

  /** Parses, runs `use` on the tree, and frees the tree. */
  withTree<T>(text: string, use: (tree: Tree) => T): T | undefined {
    const tree = this.parse(text);
    if (!tree) return undefined;
    try {
      return use(tree);
    } finally {
      tree.delete();
    }
  }
}
