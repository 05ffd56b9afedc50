// The chat one session holds for resume, on one node (memory-session-store.ts), kept so that it costs
// the garbage collector next to nothing whatever its length.
//
// Why (issue 12): at 2,000 sessions chatting, the held chat became most of the relay's heap, and the
// relay's tail latency followed its full collections: each one, marking a few million objects with the
// helper threads competing for the machine's cores, held the loop back for 100–500 ms, longer as the
// chat grew. A message kept as its JSON string was no cure: V8's JSON.stringify builds a string of a
// couple of hundred characters as a tree of parts, so each message was about ten heap objects, and a
// dedupe key made with a template literal three more. Here the messages' JSON sits back to back in
// Buffers (their bytes are outside the JS heap, never scanned), each one's place and size in a typed
// array (outside the heap too); the dedupe keys are hashes in a typed array (dedupe-table.ts): no heap object per message.
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

/** Messages the index has room for at first; it doubles when full. */
const indexFirst = 16;

export class HeldChat {
  /** Oldest first; the last one takes new messages while they fit. */
  private readonly chunks: Chunk[] = [];
  /** Where each held message is: held message i is the bytes [spans[2(first + i)], + spans[2(first + i) + 1])
   * of the chat, in the chunk holding them; a message's size in UTF-8 is also its weight against the cap
   * (the port's chatMessageBytes). A typed array, not two arrays of numbers: those were the part of the
   * held chat still on the JS heap, 16 bytes a message (about 750 bytes a connection after 30 s of chat
   * at one message a second a side, and 27 KB a session at the default cap), which every full
   * collection walked. Its bytes are outside the heap. Offsets fit in 32 bits: a session holds at most
   * its message cap of events capped in bytes (protocol's limits). */
  private spans = new Uint32Array(indexFirst * 2);
  /** The index of the oldest held message in `spans`, and how many are held from it. */
  private first = 0;
  private count = 0;
  /** Where the next message goes if it fits in the last chunk. */
  private end = 0;
  /** The sum of the held messages' sizes. */
  private heldBytes = 0;

  /** How many messages are held. */
  get length(): number {
    return this.count;
  }

  /** The bytes of the chunks held (for tests): the held messages and the room left for more. */
  get allocatedBytes(): number {
    return this.chunks.reduce((sum, c) => sum + c.bytes.length, 0);
  }

  /** The messages the index has room for (for tests): it follows what is held, not all ever pushed. */
  get indexSlots(): number {
    return this.spans.length / 2;
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
    this.makeRoom();
    const at = (this.first + this.count) * 2;
    this.spans[at] = this.end;
    this.spans[at + 1] = size;
    this.count++;
    this.end += size;
    this.heldBytes += size;
  }

  /** Drops the oldest messages while more than `cap` bytes are held, always keeping the newest; answers how many went. */
  dropOver(cap: number): number {
    let drop = 0;
    while (this.heldBytes > cap && this.count - drop > 1) this.heldBytes -= this.sizeOf(drop++);
    if (drop === 0) return 0;
    this.first += drop;
    this.count -= drop;
    // A chunk whose every message went: the next chunk starts at or before the oldest message held.
    const oldest = this.startOf(0);
    let gone = 0;
    while (gone + 1 < this.chunks.length && this.chunks[gone + 1]!.base <= oldest) gone++;
    if (gone) this.chunks.splice(0, gone);
    return drop;
  }

  /** The JSON of held message `i` (0 is the oldest held), or undefined past the end. */
  json(i: number): string | undefined {
    if (i < 0 || i >= this.count) return undefined;
    const start = this.startOf(i);
    const chunk = this.chunkAt(start);
    return chunk.bytes.toString('utf8', start - chunk.base, start - chunk.base + this.sizeOf(i));
  }

  /** The size of held message `i` in UTF-8: its weight. */
  weightOf(i: number): number {
    return this.sizeOf(i);
  }

  private startOf(i: number): number {
    return this.spans[(this.first + i) * 2]!;
  }

  private sizeOf(i: number): number {
    return this.spans[(this.first + i) * 2 + 1]!;
  }

  /** Room for one more message at the end of the index: the held ones moved to its start when the
   * dropped ones before them are as many (so each is moved once on average), else twice the room. */
  private makeRoom(): void {
    const capacity = this.spans.length / 2;
    if (this.first + this.count < capacity) return;
    if (this.first >= this.count) {
      this.spans.copyWithin(0, this.first * 2, (this.first + this.count) * 2);
    } else {
      const grown = new Uint32Array(capacity * 4);
      grown.set(this.spans.subarray(this.first * 2, (this.first + this.count) * 2));
      this.spans = grown;
    }
    this.first = 0;
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
