// The engine names files by path, LSP by URI. Only file: URIs have a path; the
// client's own spelling of a URI is kept where it is known (open documents), since
// clients percent-encode differently from node:url.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The absolute path of a file: URI, or undefined for any other URI (untitled:, git:, a malformed one). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

export function pathToUri(file: string): string {
  return pathToFileURL(path.resolve(file)).href;
}
