// The relay's own entry points (relay/src/main.ts, scripts/*.ts) run as their own processes, as an
// operator runs them, for the tests and benchmarks that start them so.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** Without any RH_* of the machine's: the environment overrides the configuration file, and a test must
 * run what it wrote. The relay listens on loopback only: a test opens nothing to the network. */
export function relayEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('RH_')));
  return { ...clean, RH_PORT: '0', RH_HOST: 'localhost', RH_LISTEN: '127.0.0.1', ...env };
}

/** A TypeScript entry point of the repository, through tsx as the npm scripts run it. */
export function spawnTsx(file: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', file, ...args], { env: relayEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
}

export const startRelayMain = (env: Record<string, string>): ChildProcess => spawnTsx('relay/src/main.ts', [], env);

export interface ListeningRelay {
  child: ChildProcess;
  url: string;
  stdout: string;
  /** Everything it has written to stdout so far (its JSON log included). */
  output(): string;
}

/** Waits for the relay's "Relay: URL" line (or its exit, which rejects with what it said). */
export function listening(child: ChildProcess): Promise<ListeningRelay> {
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const url = /^Relay: (\S+)$/m.exec(stdout)?.[1];
      if (url && /^Web helper: /m.test(stdout)) resolve({ child, url, stdout, output: () => stdout });
    });
    child.once('exit', (code) => reject(new Error(`the relay exited (${code}) before it listened: ${stderr}`)));
  });
}

/** Waits for the process to end: its exit code and what it wrote. */
export async function exited(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/** Resolves once the relay's stdout has a JSON log line with this message. */
export async function logged(relay: ListeningRelay, msg: string): Promise<void> {
  while (!relay.output().includes(`"msg":"${msg}"`)) {
    if (relay.child.exitCode !== null) throw new Error(`the relay exited (${relay.child.exitCode}) before logging "${msg}"`);
    await Promise.race([once(relay.child.stdout!, 'data'), once(relay.child, 'exit')]);
  }
}
