// The frames of Zstandard data (RFC 8878, 3.1), for what fzstd leaves out: it decompresses but
// skips each frame's Content_Checksum, so a .ko.zst with a flipped byte could read as a
// different module. Each frame is found here with its checksum; compressed.ts decompresses the
// frames one by one and compares the low 32 bits of XXH64 of each frame's content (3.1.1).
const ZSTD_MAGIC = 0xfd2fb528;

export interface ZstdFrame {
  /** The frame's bytes: header, blocks and checksum. */
  bytes: Uint8Array;
  /** Content_Checksum when the frame has one (Content_Checksum_flag). */
  checksum?: number;
}

/** The Zstandard frames of `bytes` (skippable frames left out), or why they cannot be read. */
export function zstdFrames(bytes: Uint8Array): ZstdFrame[] | string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames: ZstdFrame[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 4 > bytes.length) return 'truncated frame magic';
    const magic = view.getUint32(at, true);
    // Skippable frames (3.1.2): magic 0x184D2A5?, then their size.
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      if (at + 8 > bytes.length) return 'truncated skippable frame';
      at += 8 + view.getUint32(at + 4, true);
      continue;
    }
    if (magic !== ZSTD_MAGIC) return `no Zstandard frame at byte ${at}`;
    const end = frameEnd(bytes, at);
    if (typeof end === 'string') return end;
    const hasChecksum = (bytes[at + 4] & 0x04) !== 0;
    if (hasChecksum && end + 4 > bytes.length) return 'truncated checksum';
    frames.push({ bytes: bytes.subarray(at, hasChecksum ? end + 4 : end), ...(hasChecksum && { checksum: view.getUint32(end, true) }) });
    at = hasChecksum ? end + 4 : end;
  }
  return frames;
}

/** Where a frame's last block ends (before its checksum). */
function frameEnd(bytes: Uint8Array, start: number): number | string {
  if (start + 5 > bytes.length) return 'truncated frame header';
  // Frame_Header_Descriptor (3.1.1.1.1).
  const descriptor = bytes[start + 4];
  const singleSegment = (descriptor & 0x20) !== 0;
  const contentSizeBytes = [singleSegment ? 1 : 0, 2, 4, 8][descriptor >> 6];
  const dictionaryBytes = [0, 1, 2, 4][descriptor & 0x03];
  let at = start + 5 + (singleSegment ? 0 : 1) + dictionaryBytes + contentSizeBytes;
  for (;;) {
    if (at + 3 > bytes.length) return 'truncated block header';
    // Block_Header (3.1.1.2): Last_Block, Block_Type, Block_Size, little-endian over 3 bytes.
    const header = bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16);
    const type = (header >> 1) & 3;
    if (type === 3) return 'reserved block type';
    // An RLE block holds one byte, repeated Block_Size times.
    at += 3 + (type === 1 ? 1 : header >>> 3);
    if (at > bytes.length) return 'truncated block';
    if (header & 1) return at;
  }
}
