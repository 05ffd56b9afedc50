// Which seq each chat message of one session got, by its dedupe key (the sender's role and clientId),
// for every message the session ever appended, on one node (memory-session-store.ts). A resend after a
// reconnect is answered with the seq it got the first time instead of being stored twice.
//
// It is a hash table in one Int32Array, not a Map of strings, for the garbage collector's sake (see
// held-chat.ts): a Map kept a string and an entry per message, the last part of the heap that still grew
// with the chat (about 100 bytes a message). A key is kept as its 64-bit hash: two 32-bit MurmurHash3
// mixes with seeds drawn at random when the node starts, so a client cannot aim a clientId at another
// one's hash; by chance, two of a session's keys (at most its message cap, 1,000 by default) agree with a
// probability of about 10⁻¹³.
import { randomBytes } from 'node:crypto';

const seeds = randomBytes(8);
const seedHigh = seeds.readInt32LE(0);
const seedLow = seeds.readInt32LE(4);

/** MurmurHash3's mix over the string's UTF-16 code units, one at a time. */
function murmur(key: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < key.length; i++) {
    let k = Math.imul(key.charCodeAt(i), 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= key.length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Slots at first; the table doubles when half full. */
const initialSlots = 16;

export class DedupeTable {
  /** Three int32 a slot: the hash's high and low halves, and the seq (0: an empty slot; seqs start at 1). */
  private slots = new Int32Array(initialSlots * 3);
  private count = 0;

  get(key: string): number | undefined {
    const at = this.find(murmur(key, seedHigh), murmur(key, seedLow));
    const seq = this.slots[at + 2]!;
    return seq === 0 ? undefined : seq;
  }

  /** Records `seq` (≥ 1) for `key`, which must not be in the table yet. */
  set(key: string, seq: number): void {
    if ((this.count + 1) * 2 > this.slots.length / 3) this.grow();
    this.put(murmur(key, seedHigh), murmur(key, seedLow), seq);
    this.count++;
  }

  /** The slot holding this hash, or the empty slot where it would go (linear probing). */
  private find(high: number, low: number): number {
    const mask = this.slots.length / 3 - 1;
    for (let i = low & mask; ; i = (i + 1) & mask) {
      const at = i * 3;
      if (this.slots[at + 2] === 0 || (this.slots[at] === high && this.slots[at + 1] === low)) return at;
    }
  }

  private put(high: number, low: number, seq: number): void {
    const at = this.find(high, low);
    this.slots[at] = high;
    this.slots[at + 1] = low;
    this.slots[at + 2] = seq;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    for (let at = 0; at < old.length; at += 3) if (old[at + 2] !== 0) this.put(old[at]!, old[at + 1]!, old[at + 2]!);
  }
}
