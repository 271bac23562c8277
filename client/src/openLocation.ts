// Opens a document at a 0-based range, as the tree view and the state grid name them.
import * as vscode from 'vscode';
import type { Location } from './seriesModel';

export function toRange(range: NonNullable<Location['range']>): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export async function openLocation(location: Location, viewColumn?: vscode.ViewColumn): Promise<void> {
  try {
    await vscode.window.showTextDocument(vscode.Uri.parse(location.uri), {
      selection: location.range && toRange(location.range),
      preview: true,
      viewColumn,
    });
  } catch (err) {
    void vscode.window.showErrorMessage(`Livepatch Lens cannot open ${location.uri}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
