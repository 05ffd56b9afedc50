// What each connection retains, from two V8 heap snapshots of one relay (BENCH_HEAP_SNAPSHOT=<folder>
// on bench/load.ts writes them: the idle node, and the node holding the sessions after the ramp).
// Prints the heap growth per connection charged to its owner — the nearest object with a class name
// that alone keeps it alive (dominator tree) — so a handshake's header strings count under the
// Socket.IO Socket that holds them, not as "string". With --path=<kind>: the retaining path of one
// object of that kind in the second snapshot.
// Usage: tsx bench/load/heap-breakdown.ts IDLE.heapsnapshot RAMPED.heapsnapshot CONNECTIONS [--top=N] [--own] [--path=Kind] [--edges=Kind,…] [--within=Kind]
import { pathToFileURL } from 'node:url';
import { readHeapGraph, type HeapGraph } from './heap-graph.js';

/** Kinds too general to say who holds a byte: plain objects, arrays, strings, V8's own structures. */
const generic = (kind: string): boolean => kind.startsWith('(') || kind.startsWith('system /') || kind.startsWith('Node / ')
  || ['Object', 'Array', 'string', 'Map', 'Set', 'closure (anonymous)()', 'closure native_bind()', 'Buffer', 'ArrayBuffer', 'Uint8Array'].includes(kind);

/** Bytes by kind: own sizes (`own`), or each node's size charged to its owner; with `within`, only
 * the nodes that owner kind holds, by their own kind. */
export function bytesByKind(g: HeapGraph, own: boolean, within?: string): Map<string, number> {
  const owner = new Int32Array(g.count).fill(-2);
  const ownerOf = (n: number): number => {
    const path: number[] = [];
    let m = n;
    while (owner[m] === -2 && generic(g.kind[m]!) && g.idom[m]! !== m && g.idom[m]! !== -1) {
      path.push(m);
      m = g.idom[m]!;
    }
    const o = owner[m] !== -2 ? owner[m]! : m;
    for (const p of path) owner[p] = o;
    owner[m] = o;
    return o;
  };
  const bytes = new Map<string, number>();
  for (let n = 0; n < g.count; n++) {
    if (g.idom[n] === -1) continue; // unreachable: garbage left over
    if (within !== undefined && g.kind[ownerOf(n)] !== within) continue;
    const kind = own || within !== undefined ? g.kind[n]! : g.kind[ownerOf(n)]!;
    bytes.set(kind, (bytes.get(kind) ?? 0) + g.size[n]!);
  }
  return bytes;
}

/** The retaining path of the last node of `kind`, from the root. */
export function pathTo(g: HeapGraph, kind: string): string[] {
  let n = -1;
  for (let i = g.count - 1; i >= 0 && n === -1; i--) if (g.kind[i] === kind && g.retainer[i] !== -1) n = i;
  const path: string[] = [];
  for (let m = n; m > 0; m = g.retainer[m]!) path.unshift(`${g.kind[m]} .${g.retainerEdge[m]}`);
  return path;
}

/** What the edges of the last node of `kind` retain (dominated bytes), largest first; `Kind/edge/edge`
 * goes down those edges first. */
export function edgesOf(g: HeapGraph, what: string): string[] {
  const [kind, ...steps] = what.split('/');
  let n = -1;
  for (let i = g.count - 1; i >= 0 && n === -1; i--) if (g.kind[i] === kind && g.idom[i] !== -1) n = i;
  for (const step of steps) {
    let next = -1;
    for (let k = g.firstEdge[n]!; n !== -1 && k < g.firstEdge[n + 1]!; k++) if (g.edgeNames[k] === step) next = g.targets[k]!;
    n = next;
  }
  if (n === -1) return [`${what}: not found`];
  const rows: [string, number][] = [];
  for (let k = g.firstEdge[n]!; k < g.firstEdge[n + 1]!; k++) {
    const t = g.targets[k]!;
    rows.push([`.${g.edgeNames[k]} → ${g.kind[t]}${g.idom[t] === n ? '' : ' (shared)'}`, g.idom[t] === n ? g.retained[t]! : 0]);
  }
  return [`${what} (${g.kind[n]}): own ${g.size[n]} B, retains ${g.retained[n]} B`, ...rows.sort((a, b) => b[1] - a[1]).map(([what, b]) => `${String(b).padStart(7)} B  ${what}`)];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const opt = (name: string) => process.argv.find((a) => a.startsWith(`--${name}`))?.split('=')[1];
  const [idleFile, rampedFile, connectionsArg] = args;
  if (!idleFile || !rampedFile || !connectionsArg) throw new Error('usage: heap-breakdown.ts IDLE RAMPED CONNECTIONS [--top=N] [--own] [--path=Kind]');
  const connections = Number(connectionsArg);
  const own = process.argv.includes('--own');
  const within = opt('within');
  const before = bytesByKind(readHeapGraph(idleFile), own, within);
  const g = readHeapGraph(rampedFile);
  const after = bytesByKind(g, own, within);
  const rows = [...after].map(([kind, b]) => ({ kind, bytes: (b - (before.get(kind) ?? 0)) / connections })).sort((x, y) => y.bytes - x.bytes);
  const total = rows.reduce((sum, r) => sum + r.bytes, 0);
  process.stdout.write(`${(total / 1024).toFixed(2)} KB per connection over ${connections} connections, by ${own ? 'kind (own sizes)' : within !== undefined ? `kind, of what ${within} holds` : 'owner'}\n`);
  for (const r of rows.slice(0, Number(opt('top') ?? 40))) process.stdout.write(`${r.bytes.toFixed(0).padStart(7)} B  ${r.kind}\n`);
  const path = opt('path');
  if (path) for (const step of pathTo(g, path)) process.stdout.write(`  ${step}\n`);
  for (const kind of opt('edges')?.split(',') ?? []) for (const line of edgesOf(g, kind)) process.stdout.write(`  ${line}\n`);
}
