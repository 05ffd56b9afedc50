// How long a relay takes to start on an organization's configuration with three tenants: from the
// process being spawned (as `npm run relay` runs it, through tsx) to its "Relay: URL" line, when its
// HTTPS port answers. Cold = a new data folder (local CA, provider keys made); warm = a restart on it.
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listening, startRelayMain } from '#test/support/relay-process.js';
import { organizationPki, tlsLine, type OrgPki } from '#test/support/org-pki.js';
import { measure, type BenchResult } from './stats.js';

const runs = 5;
const tenants = ['globex', 'initech', 'umbrella'];

function configFor(dataDir: string, pki: OrgPki): string {
  return `dataDir: ${dataDir}
${tlsLine(pki)}
tenants:
${tenants.map((id) => `  - { id: ${id}, name: ${id[0]!.toUpperCase()}${id.slice(1)}, verifiedDomains: [${id}.example], identity: { type: embedded } }`).join('\n')}
`;
}

/** Milliseconds from spawn to the "Relay:" line; the relay is stopped afterwards. */
async function timeStart(configFile: string): Promise<number> {
  const started = performance.now();
  const relay = await listening(startRelayMain({ RH_CONFIG: configFile }));
  const ms = Math.round(performance.now() - started);
  relay.child.kill('SIGTERM');
  await once(relay.child, 'exit');
  return ms;
}

export async function relayStart(): Promise<BenchResult> {
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'rh-bench-start-'));
    try {
      const file = join(dir, 'relay.yaml');
      writeFileSync(file, configFor(join(dir, 'data'), await organizationPki(join(dir, 'pki'))));
      cold.push(await timeStart(file));
      warm.push(await timeStart(file));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    name: 'relay-start',
    description: `Relay start with ${tenants.length} configured tenants (RH_CONFIG), spawn to listening`,
    measures: [measure('cold start (new data folder)', cold), measure('warm start (restart)', warm)],
    notes: [
      `${runs} runs each; through tsx, as npm run relay starts it, so TypeScript loading is included`,
      'cold includes making the local CA, the server certificate and each tenant\'s provider keys',
    ],
  };
}
