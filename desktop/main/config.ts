// The console's settings: the only reader of process.env in desktop/main, validated once.
import { resolve } from 'node:path';
import { z } from 'zod';

const schema = z.object({
  RH_RELAY_URL: z.string().url().refine((u) => u.startsWith('https://'), 'must be an https:// URL (MSAL refuses http authorities)').default('https://localhost:8443'),
  RH_CONSOLE_DATA_DIR: z.string().min(1).default('./data/console'),
  RH_CONSOLE_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** PEM file of the relay's local CA (the start script passes the relay's data-dir CA). */
  RH_CA_CERT: z.string().min(1).optional(),
  /** Minutes between inventory syncs while signed in; 0 = only at sign-in and on Sync. */
  RH_SYNC_INTERVAL_MINUTES: z.string().regex(/^\d+$/, 'must be a whole number of minutes (0 = off)').default('15')
    .transform(Number).pipe(z.number().int().min(0).max(24 * 60, 'at most 1440 (a day)')),
});

export interface ConsoleConfig {
  relayUrl: string;
  dataDir: string;
  /** 0 = a random free port. */
  port: number;
  caCertPath: string | undefined;
  /** Minutes between inventory syncs while signed in; 0 = off. */
  syncIntervalMinutes: number;
}

/** `defaults.dataDir` lets a shell put data where its platform expects (Electron: userData). */
export function loadConfig(env: Record<string, string | undefined>, defaults: { dataDir?: string } = {}): ConsoleConfig {
  const parsed = schema.safeParse({ ...env, RH_CONSOLE_DATA_DIR: env['RH_CONSOLE_DATA_DIR'] ?? defaults.dataDir });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid console configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    relayUrl: e.RH_RELAY_URL.replace(/\/+$/, ''),
    dataDir: resolve(e.RH_CONSOLE_DATA_DIR),
    port: e.RH_CONSOLE_PORT,
    caCertPath: e.RH_CA_CERT ? resolve(e.RH_CA_CERT) : undefined,
    syncIntervalMinutes: e.RH_SYNC_INTERVAL_MINUTES,
  };
}
