// The environment for a relay (or a relay command) a test starts as its own process.
/** Without any RH_* of the machine's: the environment overrides the configuration file, and a test must
 * run what it wrote. The relay listens on loopback only: a test opens nothing to the network. */
export function relayEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('RH_')));
  return { ...clean, RH_PORT: '0', RH_HOST: 'localhost', RH_LISTEN: '127.0.0.1', ...env };
}
