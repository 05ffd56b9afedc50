// Composition root of the console host process: config, services, host, one line out.
import { loadConfig } from '../config.js';
import { startConsole } from './start-console.js';

// Whatever this process writes is its owner's alone, beside the explicit modes (private-files.ts).
process.umask(0o077);
let config;
try {
  config = loadConfig(process.env);
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
const running = await startConsole({ config });
console.log(`Helper console: ${running.url}`);
const stop = () => { void running.close().finally(() => process.exit(0)); };
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
