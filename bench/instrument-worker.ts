import type { Greenlight } from '../src/greenlight';

export interface WorkerProbe {
  /** Passes over the outbox (DeliveryWorker.pump) and the time they took, reading included. */
  readonly pumps: number;
  readonly pumpMs: number;
  readonly maxPumpMs: number;
  /** Of which: the `ready` query and its rows. */
  readonly readyMs: number;
  readonly readyRows: number;
}

export interface Instrumented {
  read(): WorkerProbe;
  reset(): void;
}

/**
 * Times the delivery worker's outbox passes from outside (bench only): the worker's pump is
 * wrapped on the instance and the store's `outbox.ready` on the store object both share.
 */
export function instrument(app: Greenlight): Instrumented {
  let probe = { pumps: 0, pumpMs: 0, maxPumpMs: 0, readyMs: 0, readyRows: 0 };
  const worker = app.worker as unknown as { pump: () => void };
  const pump = worker.pump.bind(app.worker);
  worker.pump = () => {
    const started = performance.now();
    try {
      pump();
    } finally {
      const ms = performance.now() - started;
      probe.pumps += 1;
      probe.pumpMs += ms;
      probe.maxPumpMs = Math.max(probe.maxPumpMs, ms);
    }
  };
  const outbox = app.store.outbox;
  const ready = outbox.ready.bind(outbox);
  // Every argument is passed on: `after` is what makes a kick's look read only the new rows.
  outbox.ready = (...args: Parameters<typeof outbox.ready>) => {
    const started = performance.now();
    const rows = ready(...args);
    probe.readyMs += performance.now() - started;
    probe.readyRows += rows.length;
    return rows;
  };
  return {
    read: () => ({ ...probe }),
    reset: () => {
      probe = { pumps: 0, pumpMs: 0, maxPumpMs: 0, readyMs: 0, readyRows: 0 };
    },
  };
}
