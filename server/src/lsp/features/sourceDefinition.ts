// Where a patched function is defined in the kernel source tree (view.kernel.sourceDir).
//
// kbuild maps a file to its object, not a function to its file, so only files there is
// a reason to believe in are searched, in this order:
// 1. the file a patch diff of the series names for the function (PatchStack.sourceFile);
// 2. for a module, the C files of the module's own directory: the directory of its
//    Module.symvers path (`drivers/cdrom/cdrom`) or of its modules.order path
//    (`kernel/drivers/cdrom/cdrom.ko`), at most MAX_FILES files, read only when their
//    text names the function.
// A vmlinux function that no diff places is not looked for: the tree has some 30,000 C
// files, too many to read on a request.
import * as path from 'node:path';
import { nodeFileSource } from '../../common/fileSource';
import type { Range } from '../../common/range';
import type { KernelContext } from '../../kernel/types';
import { sourceFunctions, type SourceDefinition } from '../../syntax/sourceFunctions';
import type { AnalysisView } from '../view';
import { definitionNameRange } from './kernelSource';
import { insideTree } from '../../common/insideTree';

export interface SourceTarget {
  /** The file, absolute. */
  file: string;
  definition: SourceDefinition;
  /** The whole definition. */
  range: Range;
  nameRange: Range;
}

/** C files read per module directory, at most. */
const MAX_FILES = 64;

export function findDefinition(view: AnalysisView, f: { object: string; name: string; sourceFile?: string }): SourceTarget | undefined {
  const { sourceDir } = view.kernel;
  if (!sourceDir) return undefined;
  const files = [...(f.sourceFile ? [f.sourceFile] : []), ...(f.object === 'vmlinux' ? [] : moduleFiles(view.kernel, sourceDir, f.object))];
  for (const relative of new Set(files)) {
    // A patch's header may climb out of the tree (`b/../../x.c`): never read there.
    const file = insideTree(path.resolve(sourceDir), relative);
    if (file === undefined) continue;
    const text = view.readText(file);
    if (!text?.includes(f.name)) continue;
    const definition = sourceFunctions(view.parser, text)?.find((d) => d.name === f.name);
    if (!definition) continue;
    const lines = text.split(/\r?\n/);
    const range = {
      start: { line: definition.startLine, character: 0 },
      end: { line: definition.endLine, character: lines[definition.endLine]?.length ?? 0 },
    };
    return { file, definition, range, nameRange: definitionNameRange(lines, definition) };
  }
  return undefined;
}

/** The C files of a module's directory in the tree, as paths relative to it. */
function moduleFiles(kernel: KernelContext, sourceDir: string, module: string): string[] {
  const dirs = new Set<string>();
  for (const e of kernel.exports.values()) if (e.object === module) dirs.add(path.dirname(e.path));
  const ko = kernel.modules.get(module)?.path;
  if (ko) dirs.add(path.dirname(ko.replace(/^kernel\//, '')));
  const fs = nodeFileSource();
  return [...dirs].flatMap((dir) =>
    (fs.listDir(path.join(sourceDir, dir)) ?? [])
      .filter((name) => name.endsWith('.c'))
      .slice(0, MAX_FILES)
      .map((name) => path.join(dir, name)),
  );
}
