// Reading ARCHITECTURE.md's layer table and the import graph of the product code, for the
// dependency-rules test (test/unit/architecture.test.ts).
import * as path from 'node:path';

export interface Layer {
  /** A folder or file, relative to the repository root. */
  path: string;
  /** The folders and files this layer may import from, besides itself. */
  knows: string[];
}

/** The rows of the table under "## Layers": `| \`path\` | holds | \`a\`, \`b\` or nothing |`. */
export function parseLayerTable(markdown: string): Layer[] {
  const section = markdown.split(/^## /m).find((s) => s.startsWith('Layers'));
  if (!section) throw new Error('ARCHITECTURE.md has no "## Layers" section');
  return section
    .split('\n')
    .filter((line) => /^\|\s*`/.test(line))
    .map((line) => {
      const cells = line.split('|').slice(1, -1);
      const ticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\/$/, ''));
      return { path: ticked(cells[0]!)[0]!, knows: ticked(cells.at(-1)!) };
    });
}

/** The product files a file imports (relative imports resolved to files that exist; packages left out). */
export function importsOf(file: string, text: string, exists: (file: string) => boolean): string[] {
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\(\s*)'(\.[^']*)'/g)].map((m) => m[1]!);
  return specifiers.flatMap((spec) => {
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
    const found = [base, `${base}.ts`, `${base}/index.ts`].find(exists);
    return found ? [found] : [];
  });
}

const under = (file: string, dir: string) => file === dir || file.startsWith(dir + '/');

function layerOf(layers: Layer[], file: string): Layer | undefined {
  return layers.filter((l) => under(file, l.path)).sort((a, b) => b.path.length - a.path.length)[0];
}

/** Every file without a layer, and every import its layer's row does not allow. */
export function violations(layers: Layer[], imports: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const [file, targets] of imports) {
    const layer = layerOf(layers, file);
    if (!layer) {
      out.push(`no layer for ${file}`);
      continue;
    }
    for (const target of targets) {
      const allowed = under(target, layer.path) || layer.knows.some((k) => under(target, k));
      if (!allowed) out.push(`${file} -> ${target} (${layer.path} knows of ${layer.knows.join(', ') || 'nothing'})`);
    }
  }
  return out;
}

/** The import cycles, each as its files (Tarjan's strongly connected components of more than one file, or a file importing itself). */
export function cyclesOf(imports: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of imports.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || imports.get(v)?.includes(v)) cycles.push(component.sort());
  };
  for (const v of imports.keys()) if (!index.has(v)) visit(v);
  return cycles;
}
