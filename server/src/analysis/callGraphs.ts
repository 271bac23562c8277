// The call graphs of the kernel source tree's files, kept by the session: the tree does not
// change while the author types, and a file's graph is read again only when its text did.
import { callGraph, type CallGraph } from '../syntax/callGraph';
import type { CParser } from '../syntax/treeSitter';

export class CallGraphs {
  private readonly byFile = new Map<string, { text: string; graph: CallGraph | undefined }>();

  of(parser: CParser, file: string, text: string): CallGraph | undefined {
    const kept = this.byFile.get(file);
    if (kept?.text === text) return kept.graph;
    const graph = callGraph(parser, text);
    this.byFile.set(file, { text, graph });
    return graph;
  }
}
