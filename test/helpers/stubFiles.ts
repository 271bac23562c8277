import * as path from 'node:path';
import { DEFAULT_LIMITS } from '../../server/src/common/fileRead';
import type { FileSource } from '../../server/src/common/fileSource';

/** A FileSource of the three reading functions a test gives; no links (real paths are the paths), default limits, "no such file" for what it cannot read. */
export function stubFiles(reads: Pick<FileSource, 'readText' | 'listDir' | 'isDirectory'> & Partial<FileSource>): FileSource {
  return { whyUnreadable: () => 'no such file or directory', realPath: (file) => path.resolve(file), limits: DEFAULT_LIMITS, ...reads };
}
