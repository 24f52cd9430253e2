// The outbox's backlog as the metrics report it (read only; the outbox itself is outbox.ts).
import type { OutboxProbe } from "../metrics.js";
import type { Clock } from "../lib/clock.js";
import type { Executor } from "./accounts.js";
import { countPending, earliestDue } from "./outbox.js";

export function outboxProbe(db: Executor, clock: Clock): OutboxProbe {
  return {
    pending: () => countPending(db),
    async oldestDueAgeSeconds() {
      // The earliest pending message is the longest-due one when it is due at all.
      const due = await earliestDue(db);
      return due ? Math.max(0, (clock.now().getTime() - Date.parse(due)) / 1000) : 0;
    },
  };
}
