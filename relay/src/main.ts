// The relay's composition root: read config, start the relay (startRelay binds it and builds its parts). Nothing else.
import { ConfigError, loadConfig } from './config.js';
import { startRelay } from './start-relay.js';
import { createDirectory, seedDemoTenants } from './directory/index.js';
import { createJsonLog } from './log.js';
import { systemClock } from './ports.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const log = createJsonLog();
  const directory = createDirectory({ dataDir: config.dataDir });
  await seedDemoTenants(directory);
  const relay = await startRelay({ config, directory, log, clock: systemClock });
  const { url, caCertPath } = relay;
  console.log(`Relay: ${url}`);
  console.log(`Sharer page: ${url}/rh`);
  console.log(`Web helper: ${url}/rhh`);
  console.log(`Local CA certificate: ${caCertPath}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('relay stopping', { signal });
    await relay.close();
    directory.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
