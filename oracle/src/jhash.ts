// include/linux/jhash.h jhash() (Bob Jenkins' lookup3), for the value the klp-symbol scenario's
// livepatch prints from the kernel's own copy.
const JHASH_INITVAL = 0xdeadbeef;

const rol32 = (x: number, n: number) => ((x << n) | (x >>> (32 - n))) >>> 0;

function mix(v: { a: number; b: number; c: number }): void {
  let { a, b, c } = v;
  a = (a - c) >>> 0; a = (a ^ rol32(c, 4)) >>> 0; c = (c + b) >>> 0;
  b = (b - a) >>> 0; b = (b ^ rol32(a, 6)) >>> 0; a = (a + c) >>> 0;
  c = (c - b) >>> 0; c = (c ^ rol32(b, 8)) >>> 0; b = (b + a) >>> 0;
  a = (a - c) >>> 0; a = (a ^ rol32(c, 16)) >>> 0; c = (c + b) >>> 0;
  b = (b - a) >>> 0; b = (b ^ rol32(a, 19)) >>> 0; a = (a + c) >>> 0;
  c = (c - b) >>> 0; c = (c ^ rol32(b, 4)) >>> 0; b = (b + a) >>> 0;
  Object.assign(v, { a, b, c });
}

function final(v: { a: number; b: number; c: number }): void {
  let { a, b, c } = v;
  c = (c ^ b) >>> 0; c = (c - rol32(b, 14)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rol32(c, 11)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rol32(a, 25)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rol32(b, 16)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rol32(c, 4)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rol32(a, 14)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rol32(b, 24)) >>> 0;
  Object.assign(v, { a, b, c });
}

export function jhash(key: Uint8Array, initval: number): number {
  let length = key.length;
  const start = (JHASH_INITVAL + length + initval) >>> 0;
  const v = { a: start, b: start, c: start };
  let k = 0;
  const word = (at: number) => (key[at] | (key[at + 1] << 8) | (key[at + 2] << 16) | (key[at + 3] << 24)) >>> 0;
  while (length > 12) {
    v.a = (v.a + word(k)) >>> 0;
    v.b = (v.b + word(k + 4)) >>> 0;
    v.c = (v.c + word(k + 8)) >>> 0;
    mix(v);
    length -= 12;
    k += 12;
  }
  if (length === 0) return v.c;
  // The switch's fall-through: byte i of the tail goes into a, b or c at its byte position.
  for (let i = length - 1; i >= 0; i--) {
    const add = (key[k + i] << ((i % 4) * 8)) >>> 0;
    if (i >= 8) v.c = (v.c + add) >>> 0;
    else if (i >= 4) v.b = (v.b + add) >>> 0;
    else v.a = (v.a + add) >>> 0;
  }
  final(v);
  return v.c;
}
