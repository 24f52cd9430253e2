// The pre-register rules, on validated input: create a pending account and its invitation, link an
// existing account to the client, or resend the activation link. One invitation waits per identifier.
import { randomUUID } from "node:crypto";
import type { ClientContext } from "../config/load.js";
import type { Services } from "../services.js";
import { accountStatus, findAccountByIdentifier, insertPendingAccount, linkClient } from "../store/accounts.js";
import { isUniqueViolation } from "../store/database.js";
import {
  expireLapsed,
  findOpenInvitationOfAccount,
  findPendingInvitation,
  insertInvitation,
  rotateInvitationToken,
} from "../store/invitations.js";
import { invitationEventData } from "../events/types.js";
import { createPreRegistration } from "../store/pre-register.js";
import { prepareActivation, queueActivation } from "./issue.js";

export interface PreRegisterInput {
  redirectUri: string;
  authType: "email" | "sms";
  /** Profile without the identifier fields. A resend ignores it: the account's own profile stands. */
  profile: Record<string, string>;
  email: string | null;
  phone: string | null;
  locale: string;
  resend: boolean;
}

export type PreRegisterOutcome =
  | { kind: "created"; uuid: string }
  /** Another invitation (an administrator's) is waiting for this identifier. */
  | { kind: "pending-exists"; conflictingId: string }
  | { kind: "linked"; uuid: string }
  | { kind: "resent"; uuid: string }
  | { kind: "already-verified" }
  | { kind: "no-account" };

export async function preRegister(s: Services, ctx: ClientContext, input: PreRegisterInput): Promise<PreRegisterOutcome> {
  const store = ctx.store.name;
  const identifier = input.authType === "sms" ? { phone: input.phone } : { email: input.email };
  // A resend is about an account that exists: its message greets the name the account holds, not
  // whatever names the resend call carried (it may carry none).
  const known = input.resend ? await findAccountByIdentifier(s.db.kysely, store, identifier) : undefined;
  if (input.resend && !known) return { kind: "no-account" };
  const recipient = {
    channel: input.authType,
    email: input.email,
    phone: input.phone,
    language: input.locale,
    name: (known?.profile ?? input.profile).firstName,
  };
  // Token and sealed message are made outside the transaction; unused when no message goes out.
  const prepared = await prepareActivation(s, ctx, recipient);
  const now = s.clock.now().toISOString();

  // A new invitee, the usual case: everything in one step when no webhook wants the events (their
  // rows would go with it); nothing written there when the identifier is known, and then the rules below.
  const identifierValue = input.authType === "sms" ? input.phone : input.email;
  if (identifierValue && !input.resend && !s.webhooks.wants("invitation.created") && !s.webhooks.wants("invitation.sent")) {
    const accountId = randomUUID();
    const created = await createPreRegistration(s.db, {
      store,
      channel: input.authType,
      identifier: identifierValue,
      accountId,
      invitationId: randomUUID(),
      outboxId: randomUUID(),
      clientId: ctx.client.clientId,
      redirectUri: input.redirectUri,
      profile: input.profile,
      locale: input.locale,
      tokenHash: prepared.token.hash,
      validUntil: prepared.validUntil.toISOString(),
      now,
      message: prepared.message,
    });
    if (created) {
      s.worker.kick();
      return { kind: "created", uuid: accountId };
    }
  }

  const lock = s.db.dialect === "postgres";
  const waitingOther = async (trx: Parameters<typeof insertInvitation>[0], own?: string) => {
    const waiting = await findPendingInvitation(trx, store, identifier);
    return waiting && waiting.id !== own ? waiting : undefined;
  };
  const run = () =>
    s.db.kysely.transaction().execute(async (trx): Promise<PreRegisterOutcome> => {
      const existing = await findAccountByIdentifier(trx, store, identifier);
      if (input.resend) {
        if (!existing) return { kind: "no-account" };
        // The invitation first, then the account: the order an activation locks them in, so that
        // of a resend and an activation at the same moment exactly one wins.
        const open = await findOpenInvitationOfAccount(trx, existing.id, s.clock.now(), lock);
        if ((await accountStatus(trx, existing.id, lock)) !== "pending") return { kind: "already-verified" };
        await expireLapsed(trx, store, identifier, now);
        const other = await waitingOther(trx, open?.id);
        if (other) throw new Conflict(other.id);
        await linkClient(trx, existing.id, ctx.client.clientId, now);
        if (open) {
          await rotateInvitationToken(trx, open.id, {
            tokenHash: prepared.token.hash,
            validUntil: prepared.validUntil.toISOString(),
            now,
            channel: input.authType,
            countResend: true,
          });
        } else {
          // The new invitation pre-fills the journey with what the account holds.
          const own = { ...input, profile: existing.profile };
          await insertPreRegisterInvitation(trx, s, ctx, own, existing.id, prepared.token.hash, prepared.validUntil, now);
        }
        await queueActivation(trx, s, prepared);
        return { kind: "resent", uuid: existing.id };
      }
      if (existing) {
        // An existing user is linked to the requesting client; its profile is never overwritten.
        await linkClient(trx, existing.id, ctx.client.clientId, now);
        return { kind: "linked", uuid: existing.id };
      }
      // One waiting invitation per identifier: an administrator's invitation may be waiting already.
      await expireLapsed(trx, store, identifier, now);
      const other = await waitingOther(trx);
      if (other?.account_id) {
        // A concurrent pre-register created the account and its invitation a moment ago.
        await linkClient(trx, other.account_id, ctx.client.clientId, now);
        return { kind: "linked", uuid: other.account_id };
      }
      if (other) throw new Conflict(other.id);
      const id = randomUUID();
      const inserted = await insertPendingAccount(trx, {
        id,
        store,
        email: input.authType === "email" ? input.email : null,
        phone: input.authType === "sms" ? input.phone : null,
        profile: input.profile,
        locale: input.locale,
        organization: null,
        now,
      });
      if (!inserted) {
        // Another request created it a moment ago (PostgreSQL, concurrent callers): same answer as "exists".
        const winner = await findAccountByIdentifier(trx, store, identifier);
        if (!winner) throw new Error("account vanished during pre-register");
        await linkClient(trx, winner.id, ctx.client.clientId, now);
        return { kind: "linked", uuid: winner.id };
      }
      await linkClient(trx, id, ctx.client.clientId, now);
      await insertPreRegisterInvitation(trx, s, ctx, input, id, prepared.token.hash, prepared.validUntil, now);
      await queueActivation(trx, s, prepared);
      return { kind: "created", uuid: id };
    });
  let outcome: PreRegisterOutcome | undefined;
  // Another invitation for the identifier committed between our check and our write: the database
  // kept one and nothing of this request was written. Once more, the check then sees it.
  for (let attempt = 0; !outcome; attempt++) {
    try {
      outcome = await run();
    } catch (error) {
      if (error instanceof Conflict) return { kind: "pending-exists", conflictingId: error.conflictingId };
      if (!isUniqueViolation(error) || attempt > 0) throw error;
    }
  }
  if (outcome.kind === "created" || outcome.kind === "resent") s.worker.kick();
  return outcome;
}

class Conflict extends Error {
  constructor(readonly conflictingId: string) {
    super("pending-exists");
  }
}

/** A new invitation for a pending account, and its invitation.created event. */
async function insertPreRegisterInvitation(
  trx: Parameters<typeof insertInvitation>[0],
  s: Services,
  ctx: ClientContext,
  input: PreRegisterInput,
  accountId: string,
  tokenHash: string,
  validUntil: Date,
  now: string,
): Promise<void> {
  const id = randomUUID();
  const inserted = await insertInvitation(trx, {
    id,
    store: ctx.store.name,
    email: input.authType === "email" ? input.email : null,
    phone: input.authType === "sms" ? input.phone : null,
    channel: input.authType,
    source: "pre-register",
    clientId: ctx.client.clientId,
    redirectUri: input.redirectUri,
    organization: null,
    roles: [],
    groups: [],
    language: input.locale,
    metadata: input.profile,
    invitedBy: { type: "client", name: ctx.client.clientId },
    sent: now,
    validUntil: validUntil.toISOString(),
    accountId,
    tokenHash,
    now,
  });
  // The identifier is waited for already (a concurrent invitation won): nothing of this request stays.
  // Looked up by the identifier the invitation was written under (an SMS call may carry an email too).
  const identifier = input.authType === "sms" ? { phone: input.phone } : { email: input.email };
  if (!inserted) throw new Conflict((await findPendingInvitation(trx, ctx.store.name, identifier))?.id ?? "");
  const ref = {
    id,
    store: ctx.store.name,
    clientId: ctx.client.clientId,
    organization: null,
    accountId,
    invitedBy: { type: "client" as const, name: ctx.client.clientId },
  };
  await s.webhooks.publish(trx, "invitation.created", invitationEventData(ref, "pending"), new Date(now));
}
