// The chat one session holds for resume, on one node (memory-session-store.ts), kept so that it costs
// the garbage collector next to nothing whatever its length.
//
// Why (issue 12): at 2,000 sessions chatting, the held chat became most of the relay's heap, and the
// relay's tail latency followed its full collections: each one, marking a few million objects with the
// helper threads competing for the machine's cores, held the loop back for 100–500 ms, longer as the
// chat grew. A message kept as its JSON string was no cure: V8's JSON.stringify builds a string of a
// couple of hundred characters as a tree of parts, so each message was about ten heap objects, and a
// dedupe key made with a template literal three more. Here the messages' JSON sits back to back in one
// growing Buffer (its bytes are outside the JS heap, never scanned), where each ends in a plain number
// array (unboxed); the dedupe keys are hashes in a typed array (dedupe-table.ts): no heap object per message.

/** Where the Buffer starts; it doubles as it fills, and shrinks back by compaction. */
const initialBytes = 1024;

export class HeldChat {
  /** The held messages' JSON in UTF-8, back to back from `start`: message i ends at `ends[i]`. A
   * message's size in UTF-8 is also its weight against the cap (the port's chatMessageBytes). */
  private text = Buffer.allocUnsafe(initialBytes);
  private start = 0;
  private readonly ends: number[] = [];

  /** How many messages are held. */
  get length(): number {
    return this.ends.length;
  }

  /** Adds a message at the end. */
  push(json: string): void {
    const size = Buffer.byteLength(json);
    if (this.end + size > this.text.length) this.makeRoom(size);
    const at = this.end;
    this.text.write(json, at, 'utf8');
    this.ends.push(at + size);
  }

  /** Drops the oldest messages while more than `cap` bytes are held, always keeping the newest; answers how many went. */
  dropOver(cap: number): number {
    const end = this.end;
    let drop = 0;
    while (end - this.startOf(drop) > cap && this.ends.length - drop > 1) drop++;
    if (drop === 0) return 0;
    this.start = this.ends[drop - 1]!;
    this.ends.splice(0, drop);
    return drop;
  }

  /** The JSON of held message `i` (0 is the oldest held), or undefined past the end. */
  json(i: number): string | undefined {
    if (i < 0 || i >= this.ends.length) return undefined;
    return this.text.toString('utf8', this.startOf(i), this.ends[i]!);
  }

  /** The size of held message `i` in UTF-8: its weight. */
  weightOf(i: number): number {
    return this.ends[i]! - this.startOf(i);
  }

  private startOf(i: number): number {
    return i === 0 ? this.start : this.ends[i - 1]!;
  }

  /** Where the next message goes. */
  private get end(): number {
    return this.ends.length ? this.ends[this.ends.length - 1]! : this.start;
  }

  /** Room for `size` more bytes: the held bytes moved to the front, in a Buffer twice as large if they
   * would still not fit (or half as large, when the chat held shrank a lot). */
  private makeRoom(size: number): void {
    const end = this.end;
    const used = end - this.start;
    let capacity = this.text.length;
    while (used + size > capacity) capacity *= 2;
    while (capacity > initialBytes && (used + size) * 4 <= capacity) capacity /= 2;
    const text = capacity === this.text.length ? this.text : Buffer.allocUnsafe(capacity);
    this.text.copy(text, 0, this.start, end);
    this.text = text;
    for (let i = 0; i < this.ends.length; i++) this.ends[i] = this.ends[i]! - this.start;
    this.start = 0;
  }
}
