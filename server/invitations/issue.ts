// One step shared by every path that sends an invitation (pre-register, admin invite, resend,
// self-service "send me a new link"): a fresh token, and the activation message in the outbox,
// inside the caller's transaction, with its invitation.sent event (docs/webhooks.md).
import type { ClientContext } from "../config/load.js";
import { addHours } from "../lib/clock.js";
import type { Services } from "../services.js";
import type { Executor } from "../store/accounts.js";
import { invitationEventData } from "../events/types.js";
import { findInvitationRefByTokenHash, type Invitation } from "../store/invitations.js";
import { enqueueMessage, type NewOutboxMessage } from "../store/outbox.js";
import { newLinkToken, type LinkToken } from "./tokens.js";

export interface Recipient {
  channel: "email" | "sms";
  email: string | null;
  phone: string | null;
  language: string;
  name?: string;
  /** A join invitation: what the message invites the account into (see joinTarget). */
  join?: string;
}

/** The recipient of an invitation's messages, as it was first sent (resends, "Send me a new link"). */
export function recipientOf(invitation: Invitation, ctx: ClientContext): Recipient {
  const name = invitation.metadata.firstName ?? invitation.metadata.givenName;
  const { channel, email, phone, language } = invitation;
  return {
    channel,
    email,
    phone,
    language,
    ...(name ? { name } : {}),
    ...(invitation.kind === "join" ? { join: joinTarget(ctx, invitation.organization) } : {}),
  };
}

/** What a join invitation invites into: its organization's name, or the application's without one. */
export function joinTarget(ctx: ClientContext, organization: string | null): string {
  return (organization && ctx.store.organizations.find((o) => o.id === organization)?.name) || ctx.application.name;
}

/** The "join" message in place of the activation message: same link, other words (server/messaging/render.ts). */
export function asJoinMessage(message: NewOutboxMessage, target: string): NewOutboxMessage {
  return { ...message, template: "join", params: { ...message.params, target } };
}

/** `hours` from now: the invitation's own validity (expiresInHours), or the store's invitationTtlHours. */
export function validUntilFrom(s: Services, ctx: ClientContext, hours?: number): Date {
  return addHours(s.clock.now(), hours ?? ctx.store.invitationTtlHours);
}

/** The link a message carries: the SMS short link, or the email link (through the brand portal when it has one). */
export async function linkFor(s: Services, ctx: ClientContext, channel: "email" | "sms", token: string) {
  return channel === "sms" ? s.links.sms(token) : s.links.email(token, ctx.client);
}

export interface PreparedActivation {
  token: LinkToken;
  validUntil: Date;
  message: NewOutboxMessage;
}

/**
 * A new token and its sealed message, made before the transaction opens (sealing is the slow part,
 * and SQLite holds its write lock for the length of a transaction).
 */
export async function prepareActivation(s: Services, ctx: ClientContext, to: Recipient, hours?: number): Promise<PreparedActivation> {
  const recipient = to.channel === "sms" ? to.phone : to.email;
  if (!recipient) throw new Error(`invitation has no ${to.channel} recipient`);
  const token = newLinkToken();
  const validUntil = validUntilFrom(s, ctx, hours);
  const link = await linkFor(s, ctx, to.channel, token.token);
  const message: NewOutboxMessage = {
    kind: to.channel,
    recipient,
    locale: to.language,
    template: "activation",
    params: { brandId: ctx.brand.id, validUntil: validUntil.toISOString(), ...(to.name ? { name: to.name } : {}) },
    sealed: await s.sealer.seal({ link }),
  };
  return { token, validUntil, message: to.join ? asJoinMessage(message, to.join) : message };
}

/**
 * Puts the prepared message in the outbox, inside the caller's transaction, and the
 * invitation.sent event with it. The invitation must already hold the prepared token (inserted or
 * rotated earlier in the same transaction): that is how the event finds its invitation.
 */
export async function queueActivation(trx: Executor, s: Services, prepared: PreparedActivation): Promise<void> {
  const now = s.clock.now();
  // The message names the invitation holding its token, so the invitation lists its deliveries.
  await enqueueMessage(trx, prepared.message, now.toISOString(), { invitationTokenHash: prepared.token.hash });
  if (!s.webhooks.wants("invitation.sent")) return;
  const invitation = await findInvitationRefByTokenHash(trx, prepared.token.hash);
  if (!invitation) throw new Error("queueActivation: no invitation holds the prepared token; write the invitation first");
  await s.webhooks.publish(trx, "invitation.sent", invitationEventData(invitation, "pending"), now);
}

export interface NewLink {
  token: LinkToken;
  validUntil: Date;
  /** Set when the link is sent: the message to queue with it. */
  prepared?: PreparedActivation;
}

/** A new link for an invitation: with its message when we send it, bare when the brand delivers it itself. */
export async function newLink(s: Services, ctx: ClientContext, to: Recipient, send: boolean, hours?: number): Promise<NewLink> {
  if (!send) return { token: newLinkToken(), validUntil: validUntilFrom(s, ctx, hours) };
  const prepared = await prepareActivation(s, ctx, to, hours);
  return { token: prepared.token, validUntil: prepared.validUntil, prepared };
}
