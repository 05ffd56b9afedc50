// Whether this node should get traffic: its stores answer (each within a short time) and it is not
// stopping. What failed is named by part only: never an address, a password or an error's text.

export interface ReadinessCheck {
  /** 'database', 'redis': what an operator is told failed. */
  name: string;
  probe(): Promise<unknown>;
}

export interface Readiness {
  ready: boolean;
  draining: boolean;
  /** The parts that did not answer in time, or failed. */
  failed: string[];
}

/** How long a part may take to answer before the node counts as not ready. */
export const probeTimeoutMs = 1000;

export async function checkReadiness(checks: readonly ReadinessCheck[], draining: boolean, timeoutMs = probeTimeoutMs): Promise<Readiness> {
  const results = await Promise.all(checks.map(async (c) => ((await answersWithin(c.probe, timeoutMs)) ? undefined : c.name)));
  const failed = results.filter((name): name is string => name !== undefined);
  return { ready: !draining && failed.length === 0, draining, failed };
}

async function answersWithin(probe: () => Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([probe().then(() => true, () => false), late]);
  } finally {
    clearTimeout(timer);
  }
}
