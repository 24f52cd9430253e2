// invitation.expired: an invitation's status turns "expired" by the passing of time alone (it is
// derived from validUntil when read), so a periodic sweep in the outbox worker announces each
// lapse once, in the transaction that records it was announced.
import type { Executor } from "../store/accounts.js";
import { claimLapsedInvitations } from "../store/lapses.js";
import { invitationEventData } from "./types.js";
import type { Webhooks } from "./webhooks.js";

/** Announces lapsed invitations, `batch` per transaction; returns how many were announced. */
export async function announceExpiredInvitations(
  db: Executor,
  webhooks: Webhooks,
  now: Date,
  batch = 500,
  maxBatches = 20,
): Promise<number> {
  let total = 0;
  for (let i = 0; i < maxBatches; i++) {
    const claimed = await db.transaction().execute(async (trx) => {
      const lapsed = await claimLapsedInvitations(trx, now, batch);
      for (const inv of lapsed) await webhooks.publish(trx, "invitation.expired", invitationEventData(inv, "expired"), now);
      return lapsed.length;
    });
    total += claimed;
    if (claimed < batch) break;
  }
  return total;
}
