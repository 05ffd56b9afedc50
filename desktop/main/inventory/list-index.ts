// What Devices > All devices searches, filters, sorts and counts, held in memory for one tenant: a few
// columns per device (typed arrays for the filters, strings for the search and the text sort keys) and
// the devices in each sort key's order. A query walks one order once, forwards or backwards, testing the
// filters and the search inline: it counts every match and keeps the page asked for. At 100k devices that
// is a few milliseconds for any combination (bench/inventory.ts), where SQLite needed an index per sort
// key (each one slowing the sync by about 0.4 s) and still had to scan for a contains-search.
// Orders are kept by merging each applied batch in (sorting only the batch); keys with few values
// (compliance, platform, OS version, …) are split out of the id order when first asked for after a change.
import type { Device, DeviceQuery, DeviceSortKey, EnrollmentFilter } from '#protocol';

export interface IndexLock {
  release(): void;
}

/** The part of a device the list needs. */
export type ListEntry = Pick<Device, 'id' | 'name' | 'platform' | 'osVersion' | 'primaryUser' | 'compliance' | 'lastCheckIn' | 'managedBy' | 'approved' | 'ownership' | 'serialNumber'>;

export interface ListQuery {
  search: string;
  compliance: NonNullable<DeviceQuery['compliance']>;
  platform: string;
  ownership: NonNullable<DeviceQuery['ownership']>;
  enrollment: EnrollmentFilter;
  sort: DeviceSortKey;
  direction: 'asc' | 'desc';
  offset: number;
  limit: number;
}

// Codes in alphabetical order of their values: sorting by code is sorting by the value.
const complianceCodes = { compliant: 0, noncompliant: 1, unknown: 2 } as const;
const ownershipCodes = { company: 0, personal: 1, unknown: 2 } as const;
const managedByCodes = { enrollment: 0, import: 1, intune: 2 } as const;
/** The Enrollment filter's values, one code per device. */
const enrollmentCodes = { intune: 0, approved: 1, pending: 2, import: 3 } as const;

/** What the search box searches, lower-cased by JavaScript (Unicode-aware, unlike SQLite's lower()).
 * U+001F between the fields keeps a search from matching across two of them. */
export function searchTextOf(d: Pick<Device, 'name' | 'primaryUser' | 'serialNumber'>): string {
  return `${d.name}\u001f${d.primaryUser}\u001f${d.serialNumber}`.toLowerCase();
}

/** A search as typed, ready for includes(): trimmed, lower-cased, taken literally (no wildcards). */
export function searchNeedle(search: string): string {
  return search.trim().replaceAll('\u001f', '').toLowerCase();
}

/** OS versions sort by their numbers ("9.1" before "10.0"): every run of digits padded to 10 places. */
export function versionKey(v: string): string {
  return v.toLowerCase().replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, '').padStart(10, '0'));
}

/** Names and users sort case-insensitively (JavaScript's lower case), by UTF-16 code unit. */
function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function enrollmentOf(d: Pick<Device, 'managedBy' | 'approved'>): number {
  return d.managedBy === 'intune' ? enrollmentCodes.intune : d.managedBy === 'import' ? enrollmentCodes.import : d.approved ? enrollmentCodes.approved : enrollmentCodes.pending;
}

/** Devices written into the columns per step of applyInSteps (lower-casing, dates, codes). */
const stageChunk = 1000;

/** Sort keys whose order is merged batch by batch; the others are split out of the id order. */
const mergedKeys = ['id', 'name', 'primaryUser', 'lastCheckIn'] as const;
type MergedKey = (typeof mergedKeys)[number];

/** A column of few distinct strings (platform, OS version): a code per device, codes in order of first
 * sight, a rank per code in the column's sort order, and how many live devices have each. */
class Dictionary {
  readonly names: string[] = [];
  readonly counts: number[] = [];
  private codes = new Map<string, number>();
  private rankOf: Uint16Array | null = null;

  constructor(private readonly sortKey: (name: string) => string) {}

  code(name: string): number | undefined {
    return this.codes.get(name);
  }

  intern(name: string): number {
    let c = this.codes.get(name);
    if (c === undefined) {
      c = this.names.length;
      this.names.push(name);
      this.codes.set(name, c);
      this.counts.push(0);
      this.rankOf = null;
    }
    return c;
  }

  /** Rank by code: the order the column sorts in (ties between equal keys broken by the name itself). */
  ranks(): Uint16Array {
    if (!this.rankOf) {
      const byKey = this.names.map((name, code) => ({ key: this.sortKey(name), name, code })).sort((a, b) => cmpStr(a.key, b.key) || cmpStr(a.name, b.name));
      this.rankOf = new Uint16Array(this.names.length);
      byKey.forEach((p, rank) => { this.rankOf![p.code] = rank; });
    }
    return this.rankOf;
  }

  present(): string[] {
    const ranks = this.ranks();
    return this.names.filter((_, c) => this.counts[c]! > 0).sort((a, b) => ranks[this.codes.get(a)!]! - ranks[this.codes.get(b)!]!);
  }
}

export class ListIndex {
  private slotOf = new Map<string, number>();
  private free: number[] = [];
  private capacity = 0;
  private used = 0;
  private ids: string[] = [];
  private search: string[] = [];
  private name: string[] = [];
  private user: string[] = [];
  private lastCheckIn = new Float64Array(0);
  private alive = new Uint8Array(0);
  private compliance = new Uint8Array(0);
  private ownership = new Uint8Array(0);
  private managedBy = new Uint8Array(0);
  private enrollment = new Uint8Array(0);
  private platform = new Uint16Array(0);
  private os = new Uint16Array(0);
  private platforms = new Dictionary((p) => p.toLowerCase());
  private versions = new Dictionary(versionKey);
  private orders: Record<MergedKey, Int32Array> = { id: new Int32Array(0), name: new Int32Array(0), primaryUser: new Int32Array(0), lastCheckIn: new Int32Array(0) };
  /** Orders split out of the id order, built when first asked for after a change. */
  private split = new Map<DeviceSortKey, Int32Array>();
  /** Bumped by every change: what was computed for an earlier version is stale. */
  private version = 0;
  /** The last search's matches: the list asks again as it scrolls, and typing narrows a search, so a
   * longer search that contains the last one only tests the devices the last one matched. */
  private lastSearch: { needle: string; version: number; hits: Uint8Array; slots: Int32Array } | null = null;
  /** Set while a batch is applied in steps: queries wait for it (orders are mid-merge). */
  private applying: Promise<void> | null = null;

  get size(): number {
    return this.slotOf.size;
  }

  /** The OSes of the devices present, in the order the platform column sorts. */
  platformNames(): string[] {
    return this.platforms.present();
  }

  /** Resolves when no batch is being applied. */
  async settled(): Promise<void> {
    while (this.applying) await this.applying;
  }

  /** Makes queries wait (settled() pends) from now until the batch applied with this lock is in, or it is
   * released: for a caller whose batch is visible elsewhere (committed to the file) before it is here. */
  async lock(): Promise<IndexLock> {
    // Checked and taken in one synchronous step: two callers never both get it.
    while (this.applying) await this.applying;
    let done!: () => void;
    const applying = new Promise<void>((r) => { done = r; });
    this.applying = applying;
    return {
      release: () => {
        if (this.applying === applying) this.applying = null;
        done();
      },
    };
  }

  /** Applies a batch at once (tests, small batches). */
  apply(upserts: readonly ListEntry[], removed: readonly string[]): void {
    const touched = this.stage(upserts, removed);
    for (const key of mergedKeys) this.merge(key, touched);
    this.finish(touched);
  }

  /**
   * Applies a batch of added or changed devices and removed ids (a sync page as committed, or a chunk
   * read from the file), with `pause` between the orders so that no turn of the event loop does it all.
   * Work per order: a pass over the inventory, plus sorting and placing the batch.
   */
  async applyInSteps(upserts: readonly ListEntry[], removed: readonly string[], pause: () => Promise<void>, held?: IndexLock): Promise<void> {
    const lock = held ?? (await this.lock());
    try {
      const touched = this.stage([], removed);
      for (let i = 0; i < upserts.length; i += stageChunk) {
        if (i > 0) await pause();
        const part = this.stage(upserts.slice(i, i + stageChunk), []);
        touched.slots.push(...part.slots);
      }
      for (const key of mergedKeys) {
        await pause();
        this.merge(key, touched);
      }
      this.finish(touched);
    } finally {
      lock.release();
    }
  }

  /** The matching devices' ids for one page, and how many match in all. Call when settled(). */
  query(q: ListQuery): { ids: string[]; total: number } {
    const order = this.order(q.sort);
    const needle = searchNeedle(q.search);
    const compliance = q.compliance === 'any' ? -1 : complianceCodes[q.compliance];
    const ownership = q.ownership === 'any' ? -1 : ownershipCodes[q.ownership];
    const enrollment = q.enrollment === 'any' ? -1 : enrollmentCodes[q.enrollment];
    let platform = -1;
    if (q.platform !== '') {
      const code = this.platforms.code(q.platform);
      if (code === undefined) return { ids: [], total: 0 };
      platform = code;
    }
    const filtered = compliance >= 0 || ownership >= 0 || enrollment >= 0 || platform >= 0;
    const hits = needle === '' ? null : this.matches(needle);
    const n = order.length;
    const from = q.offset;
    const end = q.offset + q.limit;
    const ids: string[] = [];
    let total = 0;
    const step = q.direction === 'desc' ? -1 : 1;
    for (let k = step > 0 ? 0 : n - 1; k >= 0 && k < n; k += step) {
      const s = order[k]!;
      if (filtered) {
        if (compliance >= 0 && this.compliance[s] !== compliance) continue;
        if (ownership >= 0 && this.ownership[s] !== ownership) continue;
        if (enrollment >= 0 && this.enrollment[s] !== enrollment) continue;
        if (platform >= 0 && this.platform[s] !== platform) continue;
      }
      if (hits && hits[s] === 0) continue;
      if (total >= from && total < end) ids.push(this.ids[s]!);
      total++;
    }
    return { ids, total };
  }

  /** Which slots' search text contains `needle`. Tested in slot order (the strings in the order they sit
   * in memory): walking them in a sort order instead took two to three times as long at 100k devices. */
  private matches(needle: string): Uint8Array {
    const last = this.lastSearch;
    if (last && last.version === this.version && last.needle === needle) return last.hits;
    const hits = new Uint8Array(this.capacity);
    const slots = new Int32Array(this.used);
    let n = 0;
    const search = this.search;
    if (last && last.version === this.version && needle.includes(last.needle)) {
      for (const s of last.slots) {
        if (search[s]!.includes(needle)) {
          hits[s] = 1;
          slots[n++] = s;
        }
      }
    } else {
      const alive = this.alive;
      for (let s = 0; s < this.used; s++) {
        if (alive[s] === 1 && search[s]!.includes(needle)) {
          hits[s] = 1;
          slots[n++] = s;
        }
      }
    }
    this.lastSearch = { needle, version: this.version, hits, slots: slots.subarray(0, n) };
    return hits;
  }

  /** Writes the batch into the columns; returns the slots touched (removed ones first). */
  private stage(upserts: readonly ListEntry[], removed: readonly string[]): { slots: number[]; freed: number } {
    this.version++;
    this.lastSearch = null;
    const slots: number[] = [];
    for (const id of removed) {
      const slot = this.slotOf.get(id);
      if (slot === undefined) continue;
      this.slotOf.delete(id);
      this.alive[slot] = 0;
      this.platforms.counts[this.platform[slot]!]!--;
      this.versions.counts[this.os[slot]!]!--;
      slots.push(slot);
    }
    const freed = slots.length;
    for (const d of upserts) {
      let slot = this.slotOf.get(d.id);
      if (slot === undefined) {
        // A slot freed by this batch is still in the orders until merge() filters it: reuse older ones only.
        slot = this.free.pop() ?? this.grow();
        this.slotOf.set(d.id, slot);
      } else {
        this.platforms.counts[this.platform[slot]!]!--;
        this.versions.counts[this.os[slot]!]!--;
      }
      this.alive[slot] = 1;
      this.ids[slot] = d.id;
      this.search[slot] = searchTextOf(d);
      this.name[slot] = d.name.toLowerCase();
      this.user[slot] = d.primaryUser.toLowerCase();
      const t = Date.parse(d.lastCheckIn);
      this.lastCheckIn[slot] = Number.isNaN(t) ? -Infinity : t;
      this.compliance[slot] = complianceCodes[d.compliance];
      this.ownership[slot] = ownershipCodes[d.ownership];
      this.managedBy[slot] = managedByCodes[d.managedBy];
      this.enrollment[slot] = enrollmentOf(d);
      const p = this.platforms.intern(d.platform);
      this.platform[slot] = p;
      this.platforms.counts[p]!++;
      const v = this.versions.intern(d.osVersion);
      this.os[slot] = v;
      this.versions.counts[v]!++;
      slots.push(slot);
    }
    return { slots, freed };
  }

  private merge(key: MergedKey, touched: { slots: number[] }): void {
    if (touched.slots.length === 0) return;
    const cmp = this.comparator(key);
    const old = this.orders[key];
    const mark = new Uint8Array(this.capacity);
    for (const s of touched.slots) mark[s] = 1;
    // The order without the touched slots: they come back below, each once, at their new place.
    const kept = new Int32Array(old.length);
    let n = 0;
    for (let i = 0; i < old.length; i++) {
      const s = old[i]!;
      if (mark[s] === 0) kept[n++] = s;
    }
    const added: number[] = [];
    for (const s of touched.slots) {
      if (mark[s] === 1 && this.alive[s] === 1) added.push(s);
      mark[s] = 2;
    }
    added.sort(cmp);
    this.orders[key] = mergeInto(kept.subarray(0, n), added, cmp);
  }

  private finish(touched: { slots: number[]; freed: number }): void {
    this.split.clear();
    for (let i = 0; i < touched.freed; i++) {
      const s = touched.slots[i]!;
      if (this.alive[s] === 0) this.free.push(s);
    }
  }

  private order(key: DeviceSortKey): Int32Array {
    if (key === 'name' || key === 'primaryUser' || key === 'lastCheckIn') return this.orders[key];
    let o = this.split.get(key);
    if (!o) {
      o = key === 'platform' ? splitBy(this.orders.id, this.platform, this.platforms.ranks())
        : key === 'osVersion' ? splitBy(this.orders.id, this.os, this.versions.ranks())
          : splitBy(this.orders.id, key === 'compliance' ? this.compliance : key === 'ownership' ? this.ownership : this.managedBy, null);
      this.split.set(key, o);
    }
    return o;
  }

  private comparator(key: MergedKey): (a: number, b: number) => number {
    const ids = this.ids;
    switch (key) {
      case 'id':
        return (a, b) => cmpStr(ids[a]!, ids[b]!);
      case 'name': {
        const name = this.name;
        return (a, b) => cmpStr(name[a]!, name[b]!) || cmpStr(ids[a]!, ids[b]!);
      }
      case 'primaryUser': {
        const user = this.user;
        return (a, b) => cmpStr(user[a]!, user[b]!) || cmpStr(ids[a]!, ids[b]!);
      }
      case 'lastCheckIn': {
        const t = this.lastCheckIn;
        // -Infinity (no date) minus -Infinity is NaN, falsy: the id decides.
        return (a, b) => t[a]! - t[b]! || cmpStr(ids[a]!, ids[b]!);
      }
    }
  }

  private grow(): number {
    if (this.used === this.capacity) {
      const next = Math.max(1024, this.capacity * 2);
      const widen = <T extends Uint8Array | Uint16Array | Float64Array>(a: T, b: T): T => {
        b.set(a);
        return b;
      };
      this.lastCheckIn = widen(this.lastCheckIn, new Float64Array(next));
      this.alive = widen(this.alive, new Uint8Array(next));
      this.compliance = widen(this.compliance, new Uint8Array(next));
      this.ownership = widen(this.ownership, new Uint8Array(next));
      this.managedBy = widen(this.managedBy, new Uint8Array(next));
      this.enrollment = widen(this.enrollment, new Uint8Array(next));
      this.platform = widen(this.platform, new Uint16Array(next));
      this.os = widen(this.os, new Uint16Array(next));
      this.capacity = next;
    }
    return this.used++;
  }
}

/** Merges `add` (sorted) into `base` (sorted). A small batch finds each place by binary search and
 * block-copies the runs of `base` between; a large one is merged in one linear pass. */
function mergeInto(base: Int32Array, add: number[], cmp: (a: number, b: number) => number): Int32Array {
  const out = new Int32Array(base.length + add.length);
  if (add.length === 0) {
    out.set(base);
    return out;
  }
  if (add.length * Math.log2(base.length + 2) < base.length + add.length) {
    let from = 0;
    let at = 0;
    for (const s of add) {
      let lo = from;
      let hi = base.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cmp(base[mid]!, s) < 0) lo = mid + 1;
        else hi = mid;
      }
      out.set(base.subarray(from, lo), at);
      at += lo - from;
      out[at++] = s;
      from = lo;
    }
    out.set(base.subarray(from), at);
    return out;
  }
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < base.length && j < add.length) out[k++] = cmp(base[i]!, add[j]!) <= 0 ? base[i++]! : add[j++]!;
  while (i < base.length) out[k++] = base[i++]!;
  while (j < add.length) out[k++] = add[j++]!;
  return out;
}

/** A stable split of `byId` by a small code per slot (through `rank` when given): the order (code, id).
 * A counting sort: three passes over the inventory, no comparisons. */
function splitBy(byId: Int32Array, code: Uint8Array | Uint16Array, rank: Uint16Array | null): Int32Array {
  const n = byId.length;
  const keys = new Uint16Array(n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    const c = code[byId[i]!]!;
    const k = rank ? rank[c]! : c;
    keys[i] = k;
    if (k > max) max = k;
  }
  const starts = new Int32Array(max + 2);
  for (let i = 0; i < n; i++) starts[keys[i]! + 1]!++;
  for (let c = 1; c < starts.length; c++) starts[c]! += starts[c - 1]!;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[starts[keys[i]!]!++] = byId[i]!;
  return out;
}
