// A V8 heap snapshot as a graph (for heap-breakdown.ts): each node's kind and own size, its edges, and
// who retains it, plus the dominator tree (Cooper, Harvey and Kennedy's iterative algorithm), so a byte
// can be charged to the object that keeps it alive alone.
import { readFileSync } from 'node:fs';

interface SnapshotFile {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]]; edge_fields: string[]; edge_types: [string[], ...unknown[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export interface HeapGraph {
  count: number;
  kind: string[];
  size: Float64Array;
  /** Edges of node i: targets[firstEdge[i] .. firstEdge[i + 1]), with their names. */
  firstEdge: Uint32Array;
  targets: Uint32Array;
  edgeNames: string[];
  /** Immediate dominator of each node (the root's is itself); unreachable nodes: -1. */
  idom: Int32Array;
  /** A retainer of each node on a shortest path from the root, for retaining paths; -1 for the root. */
  retainer: Int32Array;
  retainerEdge: string[];
  /** Each node's size plus those of every node it dominates. */
  retained: Float64Array;
}

/** What a node is, in a word: class name for objects, "closure name()" for functions, "string", "(array) …". */
function kindOf(type: string, name: string): string {
  if (type === 'object' || type === 'native') return name;
  if (type === 'closure') return `closure ${name || '(anonymous)'}()`;
  if (type === 'string' || type === 'concatenated string' || type === 'sliced string') return 'string';
  if (type === 'hidden' || type === 'array' || type === 'code' || type === 'number' || type === 'synthetic') return `(${type}) ${name.length > 40 ? `${name.slice(0, 40)}…` : name}`;
  return `(${type})`;
}

export function readHeapGraph(file: string): HeapGraph {
  const s = JSON.parse(readFileSync(file, 'utf8')) as SnapshotFile;
  const nf = s.snapshot.meta.node_fields;
  const ef = s.snapshot.meta.edge_fields;
  const nodeTypes = s.snapshot.meta.node_types[0];
  const edgeTypes = s.snapshot.meta.edge_types[0];
  const nw = nf.length;
  const ew = ef.length;
  const count = s.nodes.length / nw;
  const kind: string[] = new Array<string>(count);
  const size = new Float64Array(count);
  const edgeCount = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const at = i * nw;
    kind[i] = kindOf(nodeTypes[s.nodes[at + nf.indexOf('type')]!]!, s.strings[s.nodes[at + nf.indexOf('name')]!]!);
    size[i] = s.nodes[at + nf.indexOf('self_size')]!;
    edgeCount[i] = s.nodes[at + nf.indexOf('edge_count')]!;
  }
  // Weak edges keep nothing alive; they are left out of the graph.
  const firstEdge = new Uint32Array(count + 1);
  const targetsAll: number[] = [];
  const edgeNames: string[] = [];
  const typeAt = ef.indexOf('type');
  const nameAt = ef.indexOf('name_or_index');
  const toAt = ef.indexOf('to_node');
  let e = 0;
  for (let i = 0; i < count; i++) {
    firstEdge[i] = targetsAll.length;
    for (let k = 0; k < edgeCount[i]!; k++, e += ew) {
      const type = edgeTypes[s.edges[e + typeAt]!]!;
      if (type === 'weak') continue;
      const nameOrIndex = s.edges[e + nameAt]!;
      targetsAll.push(s.edges[e + toAt]! / nw);
      edgeNames.push(type === 'element' || type === 'hidden' ? `[${nameOrIndex}]` : String(s.strings[nameOrIndex]));
    }
  }
  firstEdge[count] = targetsAll.length;
  const targets = Uint32Array.from(targetsAll);
  // Three kinds of Socket: Socket.IO's, Engine.IO's and node's, told apart by what they hold.
  for (let i = 0; i < count; i++) {
    if (kind[i] !== 'Socket') continue;
    const names = edgeNames.slice(firstEdge[i], firstEdge[i + 1]);
    kind[i] = names.includes('handshake') ? 'Socket (socket.io)' : names.includes('transport') ? 'Socket (engine.io)' : 'Socket (net)';
  }
  const { idom, order } = dominators(count, firstEdge, targets);
  const retained = Float64Array.from(size);
  for (const n of order) if (n !== 0 && idom[n]! >= 0) retained[idom[n]!]! += retained[n]!;
  const { retainer, retainerEdge } = shortestRetainers(count, firstEdge, targets, edgeNames);
  return { count, kind, size, firstEdge, targets, edgeNames, idom, retainer, retainerEdge, retained };
}

function shortestRetainers(count: number, firstEdge: Uint32Array, targets: Uint32Array, edgeNames: string[]) {
  const retainer = new Int32Array(count).fill(-1);
  const retainerEdge: string[] = new Array<string>(count);
  const queue = new Uint32Array(count);
  const seen = new Uint8Array(count);
  let head = 0;
  let tail = 0;
  queue[tail++] = 0;
  seen[0] = 1;
  while (head < tail) {
    const n = queue[head++]!;
    for (let k = firstEdge[n]!; k < firstEdge[n + 1]!; k++) {
      const t = targets[k]!;
      if (seen[t]) continue;
      seen[t] = 1;
      retainer[t] = n;
      retainerEdge[t] = edgeNames[k]!;
      queue[tail++] = t;
    }
  }
  return { retainer, retainerEdge };
}

/** Immediate dominators, and the reachable nodes in depth-first postorder (a node after all it dominates). */
function dominators(count: number, firstEdge: Uint32Array, targets: Uint32Array) {
  // Depth-first postorder from the root (node 0), iteratively.
  const post = new Int32Array(count).fill(-1);
  const order: number[] = [];
  const visited = new Uint8Array(count);
  const stack: number[] = [0];
  const next: number[] = [firstEdge[0]!];
  visited[0] = 1;
  while (stack.length) {
    const top = stack.length - 1;
    const n = stack[top]!;
    const k = next[top]!;
    if (k < firstEdge[n + 1]!) {
      next[top] = k + 1;
      const t = targets[k]!;
      if (!visited[t]) {
        visited[t] = 1;
        stack.push(t);
        next.push(firstEdge[t]!);
      }
    } else {
      post[n] = order.length;
      order.push(n);
      stack.pop();
      next.pop();
    }
  }
  // Predecessors, among reachable nodes.
  const predCount = new Uint32Array(count + 1);
  for (let n = 0; n < count; n++) if (visited[n]) for (let k = firstEdge[n]!; k < firstEdge[n + 1]!; k++) predCount[targets[k]! + 1]!++;
  for (let i = 0; i < count; i++) predCount[i + 1]! += predCount[i]!;
  const preds = new Uint32Array(predCount[count]!);
  const fill = predCount.slice(0, count);
  for (let n = 0; n < count; n++) if (visited[n]) for (let k = firstEdge[n]!; k < firstEdge[n + 1]!; k++) preds[fill[targets[k]!]!++] = n;
  const idom = new Int32Array(count).fill(-1);
  idom[0] = 0;
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (post[a]! < post[b]!) a = idom[a]!;
      while (post[b]! < post[a]!) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (let i = order.length - 2; i >= 0; i--) { // reverse postorder, root (last) skipped
      const n = order[i]!;
      let d = -1;
      for (let p = predCount[n]!; p < predCount[n + 1]!; p++) {
        const q = preds[p]!;
        if (idom[q] === -1) continue;
        d = d === -1 ? q : intersect(q, d);
      }
      if (d !== idom[n]) {
        idom[n] = d;
        changed = true;
      }
    }
  }
  return { idom, order };
}
