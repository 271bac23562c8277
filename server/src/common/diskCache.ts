// What the disk held when last read, kept from one analysis to the next (the language server
// reads its workspace again at every edit: every livepatch of a series, and a walk of its
// folders). A file's text is read again only when a stat of it differs from the one taken
// when it was read (device, inode, size, mtime and ctime in nanoseconds); a directory's
// entries likewise, with each entry's kind (a directory, a regular file, a link), so that a
// walk asks the disk nothing about an entry of a folder that did not change: an entry cannot
// appear, go or change kind without changing its folder's mtime (rename(2), unlink(2),
// mkdir(2) update the parent's mtime and ctime).
//
// A stat taken close to the moment a file changed proves nothing: a file system stamps times
// at the granularity of its clock (a jiffy, a second on some, two on FAT), so a file written
// twice within one tick with the same size keeps its stamp. As git does for its index
// ("racy git", Documentation/technical/racy-git.txt), a text or listing whose mtime or ctime
// is less than RACY_MS before the moment it was read is not trusted: it is read again the next
// time, until it is older.
import { readdirSync, statSync, type BigIntStats } from 'node:fs';

/** Two seconds: FAT's granularity, the coarsest of the file systems a workspace lives on. */
const RACY_MS = 2000;

export type EntryKind = 'directory' | 'file' | 'link' | 'other';

export interface Listing {
  names: string[];
  /** By name, as lstat(2) tells (readdir's d_type): a link's target is not known. */
  kinds: Map<string, EntryKind>;
}

interface Kept<T> {
  stamp: string;
  value: T;
}

/** What a round (one analysis) asked, and what it found current. */
export interface DiskRound {
  /** The file's text: the kept one while its stat is unchanged (and its size within `maxBytes`: a text kept under a larger limit is not handed out under a smaller one), else read(). */
  text(file: string, maxBytes: number, read: () => string | undefined): string | undefined;
  /** The directory's entries: the kept ones while its stat is unchanged, else read from the disk. */
  listing(dir: string): Listing | undefined;
  /** The kind of `name` in `dir` when this round listed `dir` (and so knows it current). */
  kindIn(dir: string, name: string): EntryKind | undefined;
}

export class DiskCache {
  private texts = new Map<string, Kept<string>>();
  private listings = new Map<string, Kept<Listing>>();
  /** How many texts and listings were read from the disk, not kept (for tests). */
  reads = 0;

  /** `now`: the clock the racy rule reads (milliseconds since the epoch); tests give their own. */
  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Starts a round: what the last round did not ask is forgotten (files gone from the
   * workspace), what it asked is kept for this one.
   */
  round(): DiskRound {
    const keptTexts = this.texts;
    const keptListings = this.listings;
    const texts = (this.texts = new Map());
    const listings = (this.listings = new Map());
    const current = new Map<string, Listing>();
    const kept = <T>(from: Map<string, Kept<T>>, into: Map<string, Kept<T>>, file: string, stats: BigIntStats | undefined, read: () => T | undefined): T | undefined => {
      const stamp = stats === undefined ? undefined : stampOf(stats);
      const found = (into.get(file) ?? from.get(file)) as Kept<T> | undefined;
      if (stamp !== undefined && found?.stamp === stamp) {
        into.set(file, found);
        return found.value;
      }
      const readAt = this.now();
      const value = read();
      this.reads++;
      // Kept only when the stat taken before the read is old enough to prove the next one.
      if (value !== undefined && stats !== undefined && stamp !== undefined && !racy(stats, readAt)) into.set(file, { stamp, value });
      return value;
    };
    return {
      text: (file, maxBytes, read) => {
        const stats = statOf(file);
        return kept(keptTexts, texts, file, stats?.isFile() && stats.size <= BigInt(maxBytes) ? stats : undefined, read);
      },
      listing: (dir) => {
        const stats = statOf(dir);
        const listing = kept(keptListings, listings, dir, stats?.isDirectory() ? stats : undefined, () => listingOf(dir));
        if (listing) current.set(dir, listing);
        return listing;
      },
      kindIn: (dir, name) => current.get(dir)?.kinds.get(name),
    };
  }
}

/** A file's or folder's stat with nanosecond times; undefined when there is none. */
export function statOf(file: string): BigIntStats | undefined {
  try {
    return statSync(file, { bigint: true, throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** What a stat says of a file or folder that a later stat must say again for it to be unchanged. */
export function stampOf(s: BigIntStats): string {
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

/** Whether the file changed less than RACY_MS before `readAt` (or after it: a clock set back). */
export function racy(s: BigIntStats, readAt: number): boolean {
  const changed = Number((s.mtimeNs > s.ctimeNs ? s.mtimeNs : s.ctimeNs) / 1_000_000n);
  return changed > readAt - RACY_MS;
}

function listingOf(dir: string): Listing | undefined {
  try {
    const entries = readdirSync(dir, { withFileTypes: true });
    const kinds = new Map<string, EntryKind>();
    for (const e of entries) kinds.set(e.name, e.isDirectory() ? 'directory' : e.isFile() ? 'file' : e.isSymbolicLink() ? 'link' : 'other');
    return { names: entries.map((e) => e.name), kinds };
  } catch {
    return undefined;
  }
}
