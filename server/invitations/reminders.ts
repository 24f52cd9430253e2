// Reminders (docs/admin-api.md, "Reminders"): with an identity store's reminderHoursBeforeExpiry
// set, a still-pending invitation gets exactly one reminder that many hours before it expires, in
// its language, with a new link; the earlier link then answers "a newer link was sent" and nothing
// more. The outbox worker sweeps for due reminders periodically (server/messaging/worker.ts); each
// batch is claimed, rotated, queued and announced (invitation.reminded) in one transaction.
import type { Tenant } from "../config/load.js";
import { invitationEventData } from "../events/types.js";
import type { Webhooks } from "../events/webhooks.js";
import type { Clock } from "../lib/clock.js";
import type { Sealer } from "../lib/seal.js";
import type { Executor } from "../store/accounts.js";
import { toInvitation } from "../store/invitations.js";
import { enqueueMessage } from "../store/outbox.js";
import { claimDueReminders, replaceLinkForReminder } from "../store/reminders.js";
import { recipientOf } from "./issue.js";
import type { Links } from "./links.js";
import { newLinkToken } from "./tokens.js";

export interface ReminderDeps {
  db: Executor;
  tenant: Tenant;
  sealer: Sealer;
  links: Links;
  clock: Clock;
  webhooks: Webhooks;
  /** Counted once per reminder queued (invite_invitation_reminders_total). */
  onReminded?: () => void;
}

/** Sends the reminders due now, `batch` per transaction; returns how many were queued. */
export async function sendDueReminders(d: ReminderDeps, batch = 20, maxBatches = 10): Promise<number> {
  let total = 0;
  for (const store of d.tenant.config.identityStores) {
    const hours = store.reminderHoursBeforeExpiry;
    if (hours === null) continue;
    for (let i = 0; i < maxBatches; i++) {
      const now = d.clock.now();
      const { claimed, queued } = await d.db.transaction().execute(async (trx) => {
        const rows = await claimDueReminders(trx, store.name, now, hours, batch);
        let queued = 0;
        for (const row of rows) {
          const invitation = toInvitation(row, now);
          const ctx = d.tenant.client(invitation.clientId);
          // An invitation whose whole validity is shorter than the reminder window is not reminded:
          // its message has only just gone out. It stays claimed, so it is looked at once.
          const remindAt = Date.parse(invitation.validUntil) - hours * 3_600_000;
          if (!ctx || !invitation.sent || Date.parse(invitation.sent) > remindAt) continue;
          const to = recipientOf(invitation, ctx);
          const recipient = to.channel === "sms" ? to.phone : to.email;
          if (!recipient) continue;
          const token = newLinkToken();
          const link = to.channel === "sms" ? d.links.sms(token.token) : await d.links.email(token.token, ctx.client);
          if (!(await replaceLinkForReminder(trx, invitation.id, row.token_hash, token.hash))) continue;
          await enqueueMessage(
            trx,
            {
              kind: to.channel,
              recipient,
              locale: invitation.language,
              template: "reminder",
              params: { brandId: ctx.brand.id, validUntil: invitation.validUntil, ...(to.name ? { name: to.name } : {}) },
              sealed: await d.sealer.seal({ link }),
            },
            now.toISOString(),
            { invitationId: invitation.id },
          );
          await d.webhooks.publish(trx, "invitation.reminded", invitationEventData(invitation, "pending"), now);
          queued++;
        }
        return { claimed: rows.length, queued };
      });
      for (let n = 0; n < queued; n++) d.onReminded?.();
      total += queued;
      if (claimed < batch) break;
    }
  }
  return total;
}
