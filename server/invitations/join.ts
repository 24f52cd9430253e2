// Accepting a join invitation: an active account joins an organization (or an application) with
// what the invitation grants, after confirming with its current password. No password is set and
// no profile is asked for. Wrong passwords are counted on the invitation, which locks for a while
// after too many; the account itself is never locked by them, so its other uses go on.
import type { ClientContext } from "../config/load.js";
import { invitationEventData } from "../events/types.js";
import type { Services } from "../services.js";
import { accountPasswordHash, getAccount, linkClient, recordJoin } from "../store/accounts.js";
import { lockConfirmation, takeConfirmAttempt } from "../store/confirm-attempts.js";
import { markInvitationDone, type Invitation } from "../store/invitations.js";
import { grantMembership } from "../store/memberships.js";
import {
  asSubmitted,
  groupsOnAcceptance,
  handOffTarget,
  redirectOf,
  type HandOff,
  lookupLink,
  membershipOf,
  type SubmittedLinkState,
} from "./activate.js";

/** Wrong passwords one join invitation takes before it locks. */
export const JOIN_MAX_ATTEMPTS = 5;
/** How long it then refuses every password, the right one included. */
export const JOIN_LOCK_MINUTES = 15;

/** What a join invitation grants, in the configuration's names, for the pages that say so. */
export interface JoinGrants {
  organization: string | null;
  roles: string[];
  /** The invitation's groups and the application's. */
  groups: string[];
}

export function joinGrants(invitation: Invitation, ctx: ClientContext): JoinGrants {
  const org = ctx.store.organizations.find((o) => o.id === invitation.organization);
  return {
    organization: org?.name ?? invitation.organization,
    roles: invitation.roles.map((r) => org?.roles.find((x) => x.id === r.id)?.name ?? r.id),
    groups: groupsOnAcceptance(invitation, ctx).map((id) => ctx.store.groups.find((g) => g.id === id)?.name ?? id),
  };
}

/** The end of the invitation's lock when it is locked at `now`. */
export function lockedUntil(invitation: Invitation, now: Date): string | undefined {
  const until = invitation.confirmLockedUntil;
  return until && until > now.toISOString() ? until : undefined;
}

export interface JoinInput {
  tokenHash: string;
  password: string;
  /** The language the invitee finished the journey in (ui_locales). */
  locale: string;
  /** Passed on to the authorization endpoint untouched. */
  state?: string | null;
}

export type JoinResult =
  | { kind: "joined"; accountId: string; redirectTo: string; handOff: HandOff; ctx: ClientContext; invitation: Invitation }
  /** `remaining`: wrong passwords left before the invitation locks. */
  | { kind: "wrong-password"; remaining: number }
  | { kind: "locked"; until: string }
  | SubmittedLinkState;

class LostRace extends Error {}

export async function confirmJoin(s: Services, input: JoinInput): Promise<JoinResult> {
  const state = await lookupLink(s, input.tokenHash);
  if (state.kind !== "valid") return asSubmitted(state);
  const { invitation, ctx, account } = state;
  if (invitation.kind !== "join" || !account) return { kind: "invalid" };
  const db = s.db.kysely;
  const now = s.clock.now();
  const nowIso = now.toISOString();
  const lockFrom = () => new Date(now.getTime() + JOIN_LOCK_MINUTES * 60_000).toISOString();

  // The attempt is counted before the password is checked (takeConfirmAttempt).
  const attempt = await takeConfirmAttempt(db, invitation.id, nowIso, JOIN_MAX_ATTEMPTS);
  if (attempt === undefined) {
    const after = await lookupLink(s, input.tokenHash);
    if (after.kind !== "valid") return asSubmitted(after);
    const until = lockedUntil(after.invitation, now);
    if (until) return { kind: "locked", until };
    // Every try was taken by guesses sent at the same moment, and none has locked it yet.
    const from = lockFrom();
    await lockConfirmation(db, invitation.id, from);
    return { kind: "locked", until: from };
  }

  const hash = await accountPasswordHash(db, account.id);
  if (!hash || !(await s.passwords.verify(hash, input.password))) {
    s.log.warn("invitation.join_password_wrong", { invitation: invitation.id, attempt });
    if (attempt < JOIN_MAX_ATTEMPTS) return { kind: "wrong-password", remaining: JOIN_MAX_ATTEMPTS - attempt };
    const until = lockFrom();
    await lockConfirmation(db, invitation.id, until);
    s.log.warn("invitation.join_locked", { invitation: invitation.id, until });
    return { kind: "locked", until };
  }

  try {
    await db.transaction().execute(async (trx) => {
      if (!(await markInvitationDone(trx, invitation.id, input.tokenHash, account.id, nowIso))) throw new LostRace();
      const current = await getAccount(trx, invitation.store, account.id);
      const groups = groupsOnAcceptance(invitation, ctx);
      if (
        !current ||
        !(await recordJoin(trx, current, { organization: invitation.organization, roles: invitation.roles, groups, now: nowIso }))
      )
        throw new LostRace();
      const membership = membershipOf(invitation, nowIso);
      if (membership) await grantMembership(trx, account.id, membership);
      await linkClient(trx, account.id, ctx.client.clientId, nowIso);
      await s.webhooks.publish(trx, "invitation.accepted", invitationEventData(invitation, "done", { joined: true }), now);
    });
  } catch (error) {
    if (!(error instanceof LostRace)) throw error;
    // The other of two simultaneous confirmations won (or the link was replaced meanwhile).
    const after = await lookupLink(s, input.tokenHash);
    return after.kind === "valid" ? { kind: "used", invitation, ctx } : asSubmitted(after);
  }
  s.worker.kick();
  s.log.info("invitation.joined", { invitation: invitation.id, account: account.id, client: ctx.client.clientId });
  const handOff = handOffTarget(s, ctx, {
    redirectUri: invitation.redirectUri,
    loginHint: account.email ?? account.phone,
    locale: input.locale,
    state: input.state,
  });
  return { kind: "joined", accountId: account.id, ctx, invitation, handOff, redirectTo: redirectOf(s, handOff) };
}
