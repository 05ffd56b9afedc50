// Every PostgreSQL advisory lock the relay takes, in one list so two parts can never pick the same key
// by accident. The keys are arbitrary bigints; "RH" (0x5248) in the high bits marks them as ours in
// pg_locks for an operator who looks.
export const advisoryLocks = {
  /** Held while schema migrations run: several nodes starting at once apply each migration once. */
  migrations: 0x5248_0000_0001n,
  /** Held by every append to the report chain (and by retention): one chain across all nodes. */
  reportChain: 0x5248_0000_0002n,
} as const;
