// A store port whose every asynchronous method is timed into the store latency histogram. Wrapped
// once where the relay is composed (start-relay.ts), so no store implementation knows about metrics.
import { performance } from 'node:perf_hooks';
import type { RelayMetrics } from './metrics.js';

export function timedPort<T extends object>(port: T, store: string, metrics: RelayMetrics): T {
  return new Proxy(port, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]) => {
        const started = performance.now();
        const result = Reflect.apply(value as (...a: unknown[]) => unknown, target, args);
        if (!(result instanceof Promise)) return result;
        const done = () => metrics.storeCall(store, key, (performance.now() - started) / 1000);
        result.then(done, done);
        return result;
      };
    },
  });
}
