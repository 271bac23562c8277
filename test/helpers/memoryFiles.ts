import type { FileSource } from '../../server/src/common/fileSource';
import { stubFiles } from './stubFiles';

/** Files in memory, in one flat folder `/ws` (other paths, e.g. kernel sources under `/src`, are readable but not listed). */
export function memoryFiles(files: Record<string, string>): FileSource {
  return stubFiles({
    readText: (file) => files[file],
    listDir: (dir) => (dir === '/ws' ? Object.keys(files).filter((f) => f.startsWith('/ws/')).map((f) => f.slice(4)).sort() : undefined),
    isDirectory: (file) => file === '/ws',
  });
}
