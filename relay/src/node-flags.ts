// The Node.js flags a relay node runs with: in the systemd unit (deploy/remote-help.service, which
// test/deploy/deploy-examples.test.ts holds to this list), under `npm start`, and in the load benchmark,
// so what is measured is what is shipped. They tune V8's garbage collector for a relay's work: many
// small, short-lived objects per message and a large, steady heap of connections.
//
// Measured on the 2-core machine at 2,000 sessions chatting (bench/load.ts, README "Benchmarks"): the
// tail of the chat acks followed the full collections, each holding the loop back 100–300 ms:
// - `--v8-pool-size=1`: V8's helper threads (four by default) marked the heap concurrently on every
//   core, so during a collection the loop itself got a third of a core. One helper leaves the loop a
//   core of its own on a 2-core machine; on a larger one the loop is still the relay's one busy thread.
// - `--max-semi-space-size=128` (MB): a young generation large enough that a message's objects die in
//   it, instead of being promoted and filling the old generation between full collections (at 64 the
//   full collections came every 15–20 s, at 128 every 35–40 s; over 120 s of chat p99 84–89 → 45–72 ms).
//   It is used only as the load needs it: at 2,000 sessions chatting the relay's resident memory was
//   about 800 MB.
// - `--heap-growing-percent=100`: the old generation may double before the next full collection
//   (V8 chose less, and collected every few seconds). Memory for latency: the old generation then
//   peaks near twice its live size (about 75 MB live at 2,000 sessions).
export const relayNodeFlags: readonly string[] = ['--v8-pool-size=1', '--max-semi-space-size=128', '--heap-growing-percent=100'];
