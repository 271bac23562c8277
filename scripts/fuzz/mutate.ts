// Mutations of real inputs as fast-check arbitraries: a real sample (or, now and then, text
// put together from the kind's tokens), then up to a few edits: bytes flipped, ranges deleted,
// repeated or moved, tokens of the format inserted at line starts, a piece of another sample
// of the same kind spliced in, the end cut off. Positions are drawn as plain numbers and
// taken modulo the length, so that any draw fits any sample.
import fc from 'fast-check';
import type { ByteSample, TextSample } from './corpus';

type Position = number;

type TextEdit =
  | { op: 'char'; at: Position; text: string }
  | { op: 'delete'; at: Position; length: number }
  | { op: 'repeat'; at: Position; length: number; times: number }
  | { op: 'token'; at: Position; lineStart: boolean; text: string }
  | { op: 'splice'; at: Position; donor: number; from: Position; length: number }
  | { op: 'swapLines'; a: Position; b: Position }
  | { op: 'truncate'; at: Position };

type ByteEdit =
  | { op: 'byte'; at: Position; region: Region; value: number }
  | { op: 'word'; at: Position; region: Region; size: 2 | 4 | 8; value: bigint }
  | { op: 'delete'; at: Position; region: Region; length: number }
  | { op: 'repeat'; at: Position; region: Region; length: number; times: number }
  | { op: 'splice'; at: Position; region: Region; donor: number; from: Position; length: number }
  | { op: 'truncate'; at: Position; region: Region };

/** Where a byte edit lands: ELF keeps its header first and (in a .ko) its section headers last. */
type Region = 'head' | 'tail' | 'anywhere';

const MAX_EDITS = 6;
/** Enough repetitions to stretch a parser, few enough to stay clear of the listed quadratic-hunk case. */
const MAX_TIMES = 200;

const at = fc.nat();
const length = fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 4096 }));

/** Odd text: control characters, a NUL, lone surrogates, line and paragraph separators, astral characters. */
const oddText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.constantFrom('\0', '\r', '\r\n', '\t', '\x1b[31m', '\u2028', '\uFEFF', '\uD800', '\uDFFF', '𝔘', '\\', '"', "'", '\n\n\n'),
);

function textEdit(tokens: readonly string[]): fc.Arbitrary<TextEdit> {
  const token = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...tokens) }, { weight: 1, arbitrary: oddText });
  return fc.oneof(
    fc.record({ op: fc.constant('char' as const), at, text: oddText }),
    fc.record({ op: fc.constant('delete' as const), at, length }),
    fc.record({ op: fc.constant('repeat' as const), at, length, times: fc.integer({ min: 1, max: MAX_TIMES }) }),
    { weight: 3, arbitrary: fc.record({ op: fc.constant('token' as const), at, lineStart: fc.boolean(), text: token }) },
    fc.record({ op: fc.constant('splice' as const), at, donor: fc.nat(), from: at, length }),
    fc.record({ op: fc.constant('swapLines' as const), a: at, b: at }),
    fc.record({ op: fc.constant('truncate' as const), at }),
  );
}

const INTERESTING = [0n, 1n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x7fffffffffffffffn, 0xffffffffffffffffn];

function byteEdit(): fc.Arbitrary<ByteEdit> {
  const region = fc.constantFrom<Region>('head', 'tail', 'anywhere');
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ op: fc.constant('byte' as const), at, region, value: fc.integer({ min: 0, max: 255 }) }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('word' as const), at, region, size: fc.constantFrom<2 | 4 | 8>(2, 4, 8), value: fc.oneof(fc.constantFrom(...INTERESTING), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })) }) },
    fc.record({ op: fc.constant('delete' as const), at, region, length }),
    fc.record({ op: fc.constant('repeat' as const), at, region, length, times: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ op: fc.constant('splice' as const), at, region, donor: fc.nat(), from: at, length }),
    fc.record({ op: fc.constant('truncate' as const), at, region }),
  );
}

const mod = (n: number, size: number) => (size === 0 ? 0 : n % size);

function applyText(text: string, edit: TextEdit, donors: readonly TextSample[]): string {
  const size = text.length;
  switch (edit.op) {
    case 'char': {
      const i = mod(edit.at, size);
      return text.slice(0, i) + edit.text + text.slice(i + 1);
    }
    case 'delete': {
      const i = mod(edit.at, size);
      return text.slice(0, i) + text.slice(i + edit.length);
    }
    case 'repeat': {
      const i = mod(edit.at, size);
      return text.slice(0, i) + text.slice(i, i + edit.length).repeat(edit.times) + text.slice(i);
    }
    case 'token': {
      let i = mod(edit.at, size + 1);
      if (edit.lineStart) i = text.lastIndexOf('\n', i - 1) + 1;
      return text.slice(0, i) + edit.text + (edit.lineStart ? '\n' : '') + text.slice(i);
    }
    case 'splice': {
      const donor = donors[mod(edit.donor, donors.length)]?.text ?? '';
      const from = mod(edit.from, donor.length);
      const i = mod(edit.at, size + 1);
      return text.slice(0, i) + donor.slice(from, from + edit.length) + text.slice(i);
    }
    case 'swapLines': {
      const lines = text.split('\n');
      const a = mod(edit.a, lines.length);
      const b = mod(edit.b, lines.length);
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join('\n');
    }
    case 'truncate':
      return text.slice(0, mod(edit.at, size + 1));
  }
}

function offsetIn(bytes: Uint8Array, edit: { at: Position; region: Region }): number {
  const size = bytes.length;
  if (edit.region === 'head') return mod(edit.at, Math.min(size, 64));
  if (edit.region === 'tail') return size - 1 - mod(edit.at, Math.min(size, Math.max(64, Math.floor(size / 4))));
  return mod(edit.at, size);
}

function applyBytes(bytes: Uint8Array, edit: ByteEdit, donors: readonly ByteSample[]): Uint8Array {
  if (bytes.length === 0) return bytes;
  const i = Math.max(0, offsetIn(bytes, edit));
  const join = (...parts: Uint8Array[]) => Buffer.concat(parts);
  switch (edit.op) {
    case 'byte': {
      const out = Uint8Array.from(bytes);
      out[i] = edit.value;
      return out;
    }
    case 'word': {
      const out = Uint8Array.from(bytes);
      const word = Buffer.alloc(8);
      word.writeBigUInt64LE(edit.value);
      out.set(word.subarray(0, Math.min(edit.size, out.length - i)), i);
      return out;
    }
    case 'delete':
      return join(bytes.subarray(0, i), bytes.subarray(i + edit.length));
    case 'repeat':
      return join(bytes.subarray(0, i), ...Array<Uint8Array>(edit.times).fill(bytes.subarray(i, i + edit.length)), bytes.subarray(i));
    case 'splice': {
      const donor = donors[mod(edit.donor, donors.length)]?.bytes ?? new Uint8Array();
      const from = mod(edit.from, donor.length);
      return join(bytes.subarray(0, i), donor.subarray(from, from + edit.length), bytes.subarray(i));
    }
    case 'truncate':
      return bytes.subarray(0, i);
  }
}

const editCount = (edits: fc.Arbitrary<unknown>) => fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 6, arbitrary: fc.array(edits, { minLength: 1, maxLength: MAX_EDITS }) });

/** Text of one kind: a sample of it edited, or its tokens (and odd text) strung together. */
export function mutatedText(samples: readonly TextSample[], tokens: readonly string[]): fc.Arbitrary<string> {
  const edited = fc
    .tuple(fc.nat({ max: Math.max(0, samples.length - 1) }), editCount(textEdit(tokens)) as fc.Arbitrary<TextEdit[]>)
    .map(([index, edits]) => edits.reduce((text, edit) => applyText(text, edit, samples), samples[index]?.text ?? ''));
  const strung = fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...tokens) }, { weight: 1, arbitrary: oddText }), { maxLength: 80 }).map((parts) => parts.join(''));
  return samples.length === 0 ? strung : fc.oneof({ weight: 9, arbitrary: edited }, { weight: 1, arbitrary: strung });
}

/** Bytes of one kind: a sample of it edited, or (rarely) random bytes. */
export function mutatedBytes(samples: readonly ByteSample[]): fc.Arbitrary<Uint8Array> {
  const edited = fc
    .tuple(fc.nat({ max: Math.max(0, samples.length - 1) }), editCount(byteEdit()) as fc.Arbitrary<ByteEdit[]>)
    .map(([index, edits]) => edits.reduce((bytes, edit) => applyBytes(bytes, edit, samples), samples[index]?.bytes ?? new Uint8Array()));
  return fc.oneof({ weight: 19, arbitrary: edited }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 256 }) });
}
