// Fans DesktopEvents out from the services (relay link) to whatever shell windows are listening.
import type { DesktopEvent } from '#protocol';

export interface EventHub {
  emit(event: DesktopEvent): void;
  subscribe(listener: (event: DesktopEvent) => void): () => void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<(event: DesktopEvent) => void>();
  return {
    emit(event) {
      for (const l of [...listeners]) l(event);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
