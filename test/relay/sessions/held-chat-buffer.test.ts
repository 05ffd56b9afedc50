// The held chat of one node (held-chat.ts) keeps its messages' JSON back to back in chunks of Buffer.
// Whatever is pushed and dropped, it gives back exactly what a plain list would: the same texts, in
// order, multi-byte characters included, across every new chunk and every chunk let go, messages larger
// than a chunk included; and what it holds stays near its cap however long the chat. Its dedupe keys
// (dedupe-table.ts) are hashes in a typed array, and answer as a Map would.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { DedupeTable } from '#relay/sessions/dedupe-table.js';
import { HeldChat } from '#relay/sessions/held-chat.js';

describe('the held chat', () => {
  it('answers as a plain list of the messages would, for any pushes and caps', () => {
    const unit = fc.constantFrom('a', 'é', '日', '👋', '"', '\\');
    // Mostly short messages, now and then one larger than a chunk (8 KB of UTF-8 at most).
    const text = fc.oneof({ weight: 9, arbitrary: fc.string({ unit, maxLength: 300 }) }, { weight: 1, arbitrary: fc.string({ unit, minLength: 2000, maxLength: 5000 }) });
    const step = fc.oneof(
      fc.record({ push: text }),
      fc.record({ cap: fc.integer({ min: 0, max: 40_000 }) }),
    );
    fc.assert(fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
      const held = new HeldChat();
      let model: { json: string; weight: number }[] = [];
      for (const s of steps) {
        if ('push' in s) {
          const json = JSON.stringify({ text: s.push });
          held.push(json);
          model.push({ json, weight: Buffer.byteLength(json) });
        } else {
          let weight = model.reduce((sum, m) => sum + m.weight, 0);
          let drop = 0;
          while (weight > s.cap && model.length - drop > 1) weight -= model[drop++]!.weight;
          assert.equal(held.dropOver(s.cap), drop);
          model = model.slice(drop);
        }
        assert.equal(held.length, model.length);
        model.forEach((m, i) => {
          assert.equal(held.json(i), m.json);
          assert.equal(held.weightOf(i), m.weight);
        });
        assert.equal(held.json(model.length), undefined);
      }
    }), { numRuns: 200 });
  });

  it('keeps 10,000 messages of a long chat, dropping the oldest past its cap', () => {
    const held = new HeldChat();
    let first = 1;
    for (let seq = 1; seq <= 10_000; seq++) {
      const json = JSON.stringify({ seq, text: `message ${seq} ✓` });
      held.push(json);
      first += held.dropOver(64 * 1024);
    }
    assert.ok(first > 1, 'nothing was dropped');
    assert.deepEqual(JSON.parse(held.json(0)!), { seq: first, text: `message ${first} ✓` });
    assert.deepEqual(JSON.parse(held.json(held.length - 1)!), { seq: 10_000, text: 'message 10000 ✓' });
    // The chunks let go as their messages are dropped: what is held is the cap and one chunk's room.
    assert.ok(held.allocatedBytes <= 64 * 1024 + 2 * 8192, `${held.allocatedBytes} bytes held for a 64 KiB cap`);
    // So does the index of where each message is: room for a few times those held, not for 10,000.
    assert.ok(held.indexSlots <= 4 * held.length, `an index of ${held.indexSlots} for ${held.length} messages held`);
  });

  it('holds a session that said little in little: one small chunk for a few messages', () => {
    const held = new HeldChat();
    for (let i = 0; i < 3; i++) held.push(JSON.stringify({ text: `hello ${i}` }));
    assert.equal(held.allocatedBytes, 1024);
  });

  it('gives back the seq of every key it was given, among 5,000, and nothing for a key it was not', () => {
    const table = new DedupeTable();
    const keys = Array.from({ length: 5000 }, (_, i) => `${i % 2 ? 'helper' : 'sharer'}:${randomUUID()}`);
    keys.forEach((key, i) => table.set(key, i + 1));
    keys.forEach((key, i) => assert.equal(table.get(key), i + 1, key));
    assert.equal(table.get(`helper:${randomUUID()}`), undefined);
    // The same clientId from the other side is another key.
    const [role, clientId] = keys[0]!.split(':') as [string, string];
    assert.equal(table.get(`${role === 'helper' ? 'sharer' : 'helper'}:${clientId}`), undefined);
  });
});
