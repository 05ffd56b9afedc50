// The one chat thread as a side sees it: the relay's seq orders it, a clientId appears once however
// often it arrives (ack, broadcast, history after a resume), and this side's unconfirmed messages
// follow the confirmed ones until the relay confirms or refuses them.
import assert from 'node:assert/strict';
import type { ChatMessage } from '#protocol/relay-events.js';
import { ChatThread, type ChatEntry } from '#ui/chat-thread.js';

const message = (seq: number, clientId: string, text = clientId): ChatMessage => ({
  sessionId: 's1', seq, clientId, from: 'sharer', senderName: 'Sam Sharer', text, sentAt: new Date(0).toISOString(),
});
const texts = (entries: ChatEntry[]): string[] => entries.map((e) => (e.status === 'sent' ? e.message.text : `${e.status}:${e.text}`));

describe('ChatThread', () => {
  it('orders confirmed messages by seq, whatever order they arrive in', () => {
    const thread = new ChatThread();
    for (const seq of [3, 1, 2]) thread.receive(message(seq, `m${seq}`));
    assert.deepEqual(texts(thread.entries()), ['m1', 'm2', 'm3']);
    assert.equal(thread.lastSeq, 3);
  });

  it('resumes after the messages the relay no longer holds, and remembers that older ones are gone', () => {
    const thread = new ChatThread();
    assert.equal(thread.olderDropped, false);
    // A resume from the start: the relay held the chat from seq 41 on.
    thread.dropBefore(41);
    for (const seq of [41, 42]) thread.receive(message(seq, `m${seq}`));
    assert.equal(thread.lastSeq, 42, 'the next page is asked after 42, not after 0 again');
    assert.equal(thread.olderDropped, true);
    thread.dropBefore(10); // an older floor changes nothing
    assert.equal(thread.lastSeq, 42);
  });

  it('keeps one message per clientId: the ack, the broadcast and the history are the same message', () => {
    const thread = new ChatThread();
    assert.equal(thread.receive(message(1, 'a')), true);
    assert.equal(thread.receive(message(1, 'a')), false);
    assert.equal(thread.receive(message(1, 'a')), false);
    assert.deepEqual(texts(thread.entries()), ['a']);
  });

  it('shows its own message as pending, then once, confirmed, in the relay\u2019s order', () => {
    const thread = new ChatThread();
    thread.addPending('mine', 'hello');
    thread.receive(message(1, 'theirs'));
    assert.deepEqual(texts(thread.entries()), ['theirs', 'pending:hello']);
    thread.receive(message(2, 'mine', 'hello'));
    assert.deepEqual(texts(thread.entries()), ['theirs', 'hello']);
    thread.addPending('mine', 'hello'); // a late resend of a confirmed message adds nothing
    assert.deepEqual(texts(thread.entries()), ['theirs', 'hello']);
  });

  it('marks a refused message failed, with its code, and keeps its text to send again', () => {
    const thread = new ChatThread();
    thread.addPending('mine', 'hello');
    thread.markFailed('mine', 'chat-disabled');
    assert.deepEqual(thread.entries(), [{ status: 'failed', clientId: 'mine', text: 'hello', error: 'chat-disabled' }]);
    assert.equal(thread.textOf('mine'), 'hello');
    thread.markFailed('unknown', 'internal'); // nothing to mark
    assert.equal(thread.entries().length, 1);
  });

  it('resumes after the last seq with none missing before it (0 when it has none), never past a gap', () => {
    const thread = new ChatThread();
    assert.equal(thread.lastSeq, 0);
    thread.receive(message(1, 'a'));
    thread.receive(message(2, 'b'));
    // 5 came live after a reconnect, before the resume's answer: 3 and 4 must still be asked for.
    thread.receive(message(5, 'e'));
    assert.equal(thread.lastSeq, 2);
    thread.receive(message(3, 'c'));
    thread.receive(message(4, 'd'));
    assert.equal(thread.lastSeq, 5);
  });

  it('knows which messages were written on this side, and the highest seq held (where a change of role falls)', () => {
    const thread = new ChatThread();
    assert.equal(thread.highestSeq, 0);
    thread.addPending('mine', 'hello');
    thread.receive(message(2, 'mine'));
    thread.receive(message(5, 'theirs'));
    assert.equal(thread.sentHere('mine'), true);
    assert.equal(thread.sentHere('theirs'), false);
    assert.equal(thread.highestSeq, 5);
    assert.equal(thread.lastSeq, 0, 'the unbroken run still starts at 1');
  });
});
