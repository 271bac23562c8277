// The Livepatch Series tree view: the nodes of seriesTree.ts as TreeItems. Selecting an
// entry opens it (VS Code's own vscode.open command, with the range as selection).
import * as vscode from 'vscode';
import { toRange } from './openLocation';
import type { SeriesStore } from './seriesStore';
import { buildSeriesTree, type SeriesTreeNode } from './seriesTree';

export class SeriesTreeProvider implements vscode.TreeDataProvider<SeriesTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: SeriesTreeNode[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(store: SeriesStore) {
    this.subscription = store.onDidChange((state) => {
      this.roots = state ? buildSeriesTree(state) : [];
      this.changed.fire();
    });
  }

  getChildren(node?: SeriesTreeNode): SeriesTreeNode[] {
    return node ? node.children : this.roots;
  }

  getTreeItem(node: SeriesTreeNode): vscode.TreeItem {
    const item = new vscode.TreeItem(
      node.label,
      node.children.length === 0
        ? vscode.TreeItemCollapsibleState.None
        : node.expanded
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = `klpLens.${node.kind}`;
    item.iconPath = new vscode.ThemeIcon(node.icon, node.iconColor ? new vscode.ThemeColor(node.iconColor) : undefined);
    item.accessibilityInformation = { label: `${node.label}, ${node.description}` };
    if (node.open) {
      const options: vscode.TextDocumentShowOptions = { preview: true, selection: node.open.range && toRange(node.open.range) };
      item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.parse(node.open.uri), options] };
    }
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
