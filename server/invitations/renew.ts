// "Send me a new link" (docs/journey.md): the invitee renews their own expired invitation from the
// journey's expired page. Beside the other resends (admin.ts, pre-register.ts): the same
// invitation gets a fresh link, sent only to the address or number it was sent to, on the same
// channel; the old link dies. The page (app/journey/new-link.server.ts) applies the per-invitation
// limit and the client's resendInvite first, and says the same whether or not a message went out.
import type { ClientContext } from "../config/load.js";
import type { Services } from "../services.js";
import { isUniqueViolation } from "../store/database.js";
import { rotateInvitationToken, type Invitation } from "../store/invitations.js";
import { prepareActivation, queueActivation, recipientOf } from "./issue.js";

/**
 * Rotates the expired invitation's token (only if `fromTokenHash` is still its token) and queues
 * the message, in one transaction. False when nothing went out: the invitation changed meanwhile,
 * or a newer invitation for the same address is waiting (its link was sent).
 */
export async function renewExpiredInvitation(
  s: Services,
  invitation: Invitation,
  ctx: ClientContext,
  fromTokenHash: string | undefined,
): Promise<boolean> {
  const prepared = await prepareActivation(s, ctx, recipientOf(invitation, ctx));
  const now = s.clock.now().toISOString();
  const renewed = await s.db.kysely
    .transaction()
    .execute(async (trx) => {
      const rotated = await rotateInvitationToken(trx, invitation.id, {
        tokenHash: prepared.token.hash,
        validUntil: prepared.validUntil.toISOString(),
        now,
        channel: invitation.channel,
        countResend: true,
        fromTokenHash,
      });
      if (rotated) await queueActivation(trx, s, prepared);
      return rotated;
    })
    .catch((error: unknown) => {
      // A newer invitation for the same address is waiting (its link was sent): this one stays expired.
      if (isUniqueViolation(error)) return false;
      throw error;
    });
  if (renewed) {
    s.worker.kick();
    s.log.info("invitation.renewed_by_invitee", { invitation: invitation.id, client: ctx.client.clientId });
  }
  return renewed;
}
