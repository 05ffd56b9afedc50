// The chat one session holds for resume, on one node (memory-session-store.ts), kept so that it costs
// the garbage collector next to nothing whatever its length.
//
// Why (issue 12): at 2,000 sessions chatting, the held chat became most of the relay's heap, and the
// relay's tail latency followed its full collections: each one, marking a few million objects with the
// helper threads competing for the machine's cores, held the loop back for 100–500 ms, longer as the
// chat grew. A message kept as its JSON string was no cure: V8's JSON.stringify builds a string of a
// couple of hundred characters as a tree of parts, so each message was about ten heap objects, and a
// dedupe key made with a template literal three more. Here the messages' JSON sits back to back in
// Buffers (their bytes are outside the JS heap, never scanned), where each ends in a plain number array
// (unboxed); the dedupe keys are hashes in a typed array (dedupe-table.ts): no heap object per message.
//
// The Buffers are chunks that are never copied: a full chunk stays as it is and the next message starts
// a new one, and a chunk goes once every message in it was dropped. (One Buffer that doubled as it
// filled copied the whole chat at each doubling; sessions that started chatting together doubled
// together, and at 2,000 sessions each doubling was a second of late acks: most of the chat ack p99.)

/** A new session's first chunk; each next one is twice the last, up to `chunkBytesMax`. A session that
 * says little holds little; a long chat is held in chunks of `chunkBytesMax`. */
const chunkBytesFirst = 1024;
const chunkBytesMax = 8192;

interface Chunk {
  /** Where `bytes[0]` sits in the session's chat, counted in bytes from its first message. */
  base: number;
  bytes: Buffer;
}

export class HeldChat {
  /** Oldest first; the last one takes new messages while they fit. */
  private readonly chunks: Chunk[] = [];
  /** Message i is the bytes [starts[i], starts[i] + sizes[i]) of the chat (in the chunk holding them). A
   * message's size in UTF-8 is also its weight against the cap (the port's chatMessageBytes). */
  private readonly starts: number[] = [];
  private readonly sizes: number[] = [];
  /** Where the next message goes if it fits in the last chunk. */
  private end = 0;
  /** The sum of `sizes`. */
  private heldBytes = 0;

  /** How many messages are held. */
  get length(): number {
    return this.starts.length;
  }

  /** The bytes of the chunks held (for tests): the held messages and the room left for more. */
  get allocatedBytes(): number {
    return this.chunks.reduce((sum, c) => sum + c.bytes.length, 0);
  }

  /** Adds a message at the end. */
  push(json: string): void {
    const size = Buffer.byteLength(json);
    let last = this.chunks[this.chunks.length - 1];
    if (!last || this.end + size > last.base + last.bytes.length) {
      // The rest of the last chunk stays unused: a message is never split across two. (Slow: a chunk of
      // its own, not a slice of Node's shared pool that would keep the whole pool alive with it.)
      const next = last ? Math.min(last.bytes.length * 2, chunkBytesMax) : chunkBytesFirst;
      last = { base: this.end, bytes: Buffer.allocUnsafeSlow(Math.max(next, size)) };
      this.chunks.push(last);
    }
    last.bytes.write(json, this.end - last.base, 'utf8');
    this.starts.push(this.end);
    this.sizes.push(size);
    this.end += size;
    this.heldBytes += size;
  }

  /** Drops the oldest messages while more than `cap` bytes are held, always keeping the newest; answers how many went. */
  dropOver(cap: number): number {
    let drop = 0;
    while (this.heldBytes > cap && this.starts.length - drop > 1) this.heldBytes -= this.sizes[drop++]!;
    if (drop === 0) return 0;
    this.starts.splice(0, drop);
    this.sizes.splice(0, drop);
    // A chunk whose every message went: the next chunk starts at or before the oldest message held.
    const oldest = this.starts[0]!;
    let gone = 0;
    while (gone + 1 < this.chunks.length && this.chunks[gone + 1]!.base <= oldest) gone++;
    if (gone) this.chunks.splice(0, gone);
    return drop;
  }

  /** The JSON of held message `i` (0 is the oldest held), or undefined past the end. */
  json(i: number): string | undefined {
    if (i < 0 || i >= this.starts.length) return undefined;
    const start = this.starts[i]!;
    const chunk = this.chunkAt(start);
    return chunk.bytes.toString('utf8', start - chunk.base, start - chunk.base + this.sizes[i]!);
  }

  /** The size of held message `i` in UTF-8: its weight. */
  weightOf(i: number): number {
    return this.sizes[i]!;
  }

  /** The chunk holding the byte at `at`: the last one starting at or before it (a binary search; a
   * session's chunks are a few dozen at the default cap). */
  private chunkAt(at: number): Chunk {
    let low = 0;
    let high = this.chunks.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.chunks[mid]!.base <= at) low = mid;
      else high = mid - 1;
    }
    return this.chunks[low]!;
  }
}
