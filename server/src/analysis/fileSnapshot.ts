// The files as one analysis sees them: each file read, directory listed or stat'ed at
// most once (the series is looked for twice, a folder's C files are read to find the
// livepatch modules and again to read them, the cache checks its files), and a
// consistent view of the disk for the whole analysis.
import type { FileSource } from '../common/fileSource';

export function fileSnapshot(fs: FileSource): FileSource {
  const texts = new Map<string, string | undefined>();
  const listings = new Map<string, string[] | undefined>();
  const directories = new Map<string, boolean>();
  const once = <T>(seen: Map<string, T>, key: string, read: (key: string) => T): T => {
    if (seen.has(key)) return seen.get(key) as T;
    const value = read(key);
    seen.set(key, value);
    return value;
  };
  return {
    readText: (file) => once(texts, file, (f) => fs.readText(f)),
    whyUnreadable: (file) => fs.whyUnreadable(file),
    // A copy each time: callers may sort or change the list they get.
    listDir: (dir) => once(listings, dir, (d) => fs.listDir(d))?.slice(),
    isDirectory: (file) => once(directories, file, (f) => fs.isDirectory(f)),
    realPath: (file) => fs.realPath(file),
    limits: fs.limits,
  };
}
