// The base protocol's framing (LSP 3.17, "Base Protocol"): a header part of `name: value\r\n`
// fields, Content-Length required, ended by `\r\n`, then Content-Length bytes of content.
// vscode-jsonrpc's ReadableStreamMessageReader (lib/common/messageReader.js onData()) stops
// at the first header without a numeric Content-Length and leaves its bytes buffered, so every
// later frame is read as part of a header: the server goes deaf. A wrong Content-Length shifts
// every frame after it the same way. Here a bad frame is reported and skipped: reading resumes
// at the next `Content-Length: N\r\n`, which no JSON content can hold (a raw CR may not stand in
// a JSON string, RFC 8259 §7, and outside one `Content-Length` is no JSON token), so a search
// for it never lands inside a good message, and finding it inside a body means that body's
// Content-Length was wrong.
import { constants } from 'node:buffer';

/** A message's content (UTF-8, as the base protocol's default Content-Type says), or why bytes were skipped. */
export type Frame = { content: string } | { skipped: string };

/** Where a frame starts; `{0,8}` and `{1,15}` bound its length (RESUME_LENGTH) for the search across reads. */
const RESUME_AT_END = /content-length:[ \t]{0,8}\d{1,15}\r\n$/i;
const RESUME_LENGTH = 'content-length:'.length + 8 + 15 + 2;
const CRLF = Buffer.from('\r\n');
/** A header field, `token ":" value` (RFC 9110 §5.1, §5.6.2), and what may start one. */
const FIELD = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[^\r\n]*$/;
const FIELD_START = /^(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?::[^\r\n]*)?)?\r?$/;
const CONTENT_LENGTH = /^content-length:[ \t]*(.*?)[ \t]*$/i;
/** Longer than any header a client writes (Content-Length and Content-Type). */
const MAX_HEADER = 4096;
/** The content becomes one string: no longer than V8's longest. */
const MAX_CONTENT = constants.MAX_STRING_LENGTH;

const NO_HEADER = 'bytes that are no header (of "name: value" fields)';

const WAIT = Symbol('wait for more bytes');
const AGAIN = Symbol('read on');

type State = { reading: 'header' } | { reading: 'content'; start: number; length: number; scanned: number } | { reading: 'lost'; from: number };

/** Splits a byte stream into frames: push() each chunk as it comes. */
export class FrameParser {
  private readonly bytes = new ByteQueue();
  private state: State = { reading: 'header' };

  push(chunk: Buffer): Frame[] {
    this.bytes.append(chunk);
    const frames: Frame[] = [];
    for (;;) {
      const step = this.state.reading === 'header' ? this.header() : this.state.reading === 'content' ? this.content(this.state) : this.resume(this.state);
      if (step === WAIT) return frames;
      if (step !== AGAIN) frames.push(step);
    }
  }

  private header(): Frame | typeof WAIT | typeof AGAIN {
    const view = this.bytes.view();
    if (view.length === 0) return WAIT;
    const text = view.toString('latin1', 0, Math.min(view.length, MAX_HEADER));
    const end = text.indexOf('\r\n\r\n');
    const lines = (end === -1 ? text : text.slice(0, end)).split('\r\n');
    if (end === -1) {
      // Bytes that cannot begin a header are skipped now, not once a header's worth has come.
      const last = lines.pop()!;
      if (!lines.every((l) => FIELD.test(l)) || !FIELD_START.test(last)) return this.lose(NO_HEADER);
      return view.length < MAX_HEADER ? WAIT : this.lose(`a header longer than ${MAX_HEADER} bytes`);
    }
    if (!lines.every((l) => FIELD.test(l))) return this.lose(NO_HEADER);
    const lengths = lines.map((l) => CONTENT_LENGTH.exec(l)?.[1]).filter((v) => v !== undefined);
    if (lengths.length === 0) return this.lose('a header without Content-Length');
    if (lengths.length > 1) return this.lose('a header with two Content-Length fields');
    if (!/^\d{1,15}$/.test(lengths[0])) return this.lose('a Content-Length that is no number');
    const length = Number(lengths[0]);
    if (length > MAX_CONTENT) return this.lose(`a Content-Length of ${length} bytes, more than the longest string Node holds (${MAX_CONTENT})`);
    const start = end + 4;
    this.state = { reading: 'content', start, length, scanned: start };
    // Room for the whole frame at once: a 2 MB message (a whole-text change of a large patch) comes in 64 KiB reads.
    this.bytes.reserve(start + length + RESUME_LENGTH);
    return AGAIN;
  }

  private content(state: Extract<State, { reading: 'content' }>): Frame | typeof WAIT | typeof AGAIN {
    const view = this.bytes.view();
    const stop = state.start + state.length;
    // The next frame's header inside this content: its Content-Length was too large.
    const at = this.search(view, state.scanned, Math.min(view.length, stop + RESUME_LENGTH));
    if (at !== undefined && at < stop) {
      this.bytes.drop(at);
      this.state = { reading: 'header' };
      return { skipped: `a frame whose content holds the next frame's header (its Content-Length, ${state.length}, was too large)` };
    }
    // Not yet decidable: all the content is there, but so is what may be the beginning of a frame start inside it.
    if (view.length < stop || (view.length < stop + RESUME_LENGTH && this.mayStartFrame(view, Math.max(state.start, stop - RESUME_LENGTH), stop))) {
      state.scanned = Math.max(state.scanned, view.length - RESUME_LENGTH);
      return WAIT;
    }
    const content = view.toString('utf8', state.start, stop);
    this.bytes.drop(stop);
    this.state = { reading: 'header' };
    return { content };
  }

  /** After a bad frame: on at the next frame's start, keeping what may be the beginning of one. */
  private resume(state: Extract<State, { reading: 'lost' }>): typeof WAIT | typeof AGAIN {
    const view = this.bytes.view();
    const at = this.search(view, state.from, view.length);
    if (at === undefined) {
      this.bytes.drop(Math.max(0, view.length - RESUME_LENGTH));
      this.state = { reading: 'lost', from: 0 };
      return WAIT;
    }
    this.bytes.drop(at);
    this.state = { reading: 'header' };
    return AGAIN;
  }

  /** The bad frame at the start is skipped: the search for the next one begins after its first byte. */
  private lose(what: string): Frame {
    this.state = { reading: 'lost', from: 1 };
    return { skipped: what };
  }

  /**
   * Whether a frame start may begin in view[from, to) and run past the view's end. Never for a
   * JSON object's content, which ends in `}` and whitespace.
   */
  private mayStartFrame(view: Buffer, from: number, to: number): boolean {
    for (let at = from; at < to; at++) {
      if ((view[at] | 0x20) === 0x63 && beginsFrameStart(view.toString('latin1', at))) return true;
    }
    return false;
  }

  /**
   * The offset of the first frame start in view[from, to), if any: found by the `\r\n` that
   * ends it (a byte search; a message's content seldom holds one), then the bytes before it.
   */
  private search(view: Buffer, from: number, to: number): number | undefined {
    for (let crlf = view.indexOf(CRLF, from); crlf !== -1 && crlf + 2 <= to; crlf = view.indexOf(CRLF, crlf + 1)) {
      const start = Math.max(from, crlf + 2 - RESUME_LENGTH);
      const found = RESUME_AT_END.exec(view.toString('latin1', start, crlf + 2));
      if (found) return start + found.index;
    }
    return undefined;
  }
}

/** Whether `text` is the beginning of a frame start (RESUME_AT_END) that more bytes may complete. */
function beginsFrameStart(text: string): boolean {
  const name = 'content-length:';
  if (!name.startsWith(text.slice(0, name.length).toLowerCase())) return false;
  return text.length <= name.length || /^[ \t]{0,8}(?:\d{1,15}\r?)?$/.test(text.slice(name.length));
}

/** The unread bytes, contiguous, grown by doubling so that a message in many chunks is copied a bounded number of times. */
class ByteQueue {
  private store = Buffer.alloc(0);
  private start = 0;
  private end = 0;

  view(): Buffer {
    return this.store.subarray(this.start, this.end);
  }

  append(chunk: Buffer): void {
    if (this.end + chunk.length > this.store.length) this.move(2 * (this.end - this.start + chunk.length));
    chunk.copy(this.store, this.end);
    this.end += chunk.length;
  }

  /** Makes room for `size` bytes from the first one kept, so that appending up to them copies nothing again. */
  reserve(size: number): void {
    if (this.start + size > this.store.length) this.move(size);
  }

  /** The bytes kept, moved to the start of a store of at least `size` bytes (a new one when the current is smaller). */
  private move(size: number): void {
    const kept = this.view();
    const store = size <= this.store.length ? this.store : Buffer.allocUnsafe(Math.max(size, 65536));
    kept.copy(store, 0);
    this.store = store;
    this.start = 0;
    this.end = kept.length;
  }

  drop(count: number): void {
    this.start += count;
    if (this.start < this.end) return;
    this.start = this.end = 0;
    // A large message's room goes back once it is read.
    if (this.store.length > 1 << 20) this.store = Buffer.alloc(0);
  }
}
