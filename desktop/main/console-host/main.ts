// Composition root of the console host process: config, services, host, one line out.
import { loadConfig } from '../config.js';
import { startConsole } from './start-console.js';

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
