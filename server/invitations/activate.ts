// Following a link and accepting an invitation (docs/journey.md; what acceptance grants:
// docs/admin-api.md). Looking a link up never changes anything; acceptance happens in one transaction in
// which a conditional update lets exactly one of two simultaneous submissions win.
import { randomUUID } from "node:crypto";
import type { ClientContext } from "../config/load.js";
import type { Services } from "../services.js";
import {
  activatePendingAccount,
  findAccountByIdentifier,
  getAccountSummary,
  insertActiveAccount,
  linkClient,
  type Account,
  type AccountSummary,
  type Activation,
  type Executor,
} from "../store/accounts.js";
import { invitationEventData } from "../events/types.js";
import { passwordRefusal, type PasswordRefusal } from "../lib/password-choice.js";
import { isUniqueViolation } from "../store/database.js";
import { grantMembership } from "../store/memberships.js";
import {
  closeInvitationsOfAccount,
  findInvitationByTokenHash,
  findOpenInvitationOfAccount,
  isReplacedLink,
  markInvitationDone,
  type Invitation,
} from "../store/invitations.js";
import { hashLinkToken, isWellFormedToken } from "./tokens.js";

export type LinkState =
  | { kind: "valid"; invitation: Invitation; ctx: ClientContext; account?: AccountSummary }
  | { kind: "expired"; invitation: Invitation; ctx: ClientContext }
  | { kind: "used"; invitation: Invitation; ctx: ClientContext }
  /** Unknown, revoked, replaced by a resend, or malformed: one answer, so nothing is revealed. */
  | { kind: "invalid" }
  /**
   * A link a reminder replaced while its invitation still waits: "a newer link was sent" (to the
   * same address or number). Carries nothing of the invitation, so it reveals no address.
   */
  | { kind: "superseded" };

/**
 * A link's state where a form was submitted for it: a link a reminder replaced is no longer
 * valid there (its invitee has the newer link).
 */
export type SubmittedLinkState = Exclude<LinkState, { kind: "valid" } | { kind: "superseded" }>;
export function asSubmitted(state: Exclude<LinkState, { kind: "valid" }>): SubmittedLinkState {
  return state.kind === "superseded" ? { kind: "invalid" } : state;
}

export function tokenHashOf(token: string): string | undefined {
  return isWellFormedToken(token) ? hashLinkToken(token) : undefined;
}

/** The state of a link, by the hash of its token. Read-only: safe for mail scanners' GETs. */
export async function lookupLink(s: Services, tokenHash: string | undefined): Promise<LinkState> {
  if (!tokenHash) return { kind: "invalid" };
  const invitation = await findInvitationByTokenHash(s.db.kysely, tokenHash, s.clock.now());
  if (!invitation) return (await isReplacedLink(s.db.kysely, tokenHash, s.clock.now())) ? { kind: "superseded" } : { kind: "invalid" };
  const ctx = s.tenant.client(invitation.clientId);
  if (!ctx) return { kind: "invalid" };
  if (invitation.status === "done") return { kind: "used", invitation, ctx };
  if (invitation.status === "expired") return { kind: "expired", invitation, ctx };
  const account = invitation.accountId ? await getAccountSummary(s.db.kysely, invitation.store, invitation.accountId) : undefined;
  if (invitation.kind === "join") {
    // A join invitation is for an active account; without it, the link leads nowhere.
    return account?.status === "active" ? { kind: "valid", invitation, ctx, account } : { kind: "invalid" };
  }
  if (account?.status === "active") return { kind: "used", invitation, ctx };
  return { kind: "valid", invitation, ctx, account };
}

/** The identifier is locked to the invited one unless the application lets the invitee choose another. */
export function identifierLocked(ctx: ClientContext): boolean {
  return !ctx.application.selfServicePolicy.allowDifferentEmail;
}

/** The invitation's groups plus every group assigned to the application. */
export function groupsOnAcceptance(invitation: Invitation, ctx: ClientContext): string[] {
  return [...new Set([...invitation.groups.map((g) => g.id), ...ctx.application.groups])];
}

/** The membership an invitation grants when it is accepted; none without an organization. */
export function membershipOf(invitation: Invitation, now: string) {
  if (!invitation.organization) return undefined;
  return {
    organization: invitation.organization,
    roles: invitation.roles.filter((r) => r.organization === invitation.organization).map((r) => r.id),
    invitationId: invitation.id,
    now,
  };
}

/** The pending account created for the invitation's own identifier (email or phone), if any. */
async function ownPendingAccount(db: Executor, invitation: Invitation): Promise<Account | undefined> {
  const id = invitation.email ? { email: invitation.email } : { phone: invitation.phone };
  const account = await findAccountByIdentifier(db, invitation.store, id);
  return account?.status === "pending" ? account : undefined;
}

export interface AcceptInput {
  tokenHash: string;
  password: string;
  /** Profile fields from the activation form (already validated against the client's rules). */
  profile: Record<string, string>;
  /** Only honoured when the identifier is not locked; otherwise the invited one is used. */
  email?: string | null;
  /** The language the invitee finished the journey in. */
  locale: string;
  /** Passed on to the authorization endpoint untouched. */
  state?: string | null;
}

export type AcceptResult =
  | {
      kind: "activated";
      accountId: string;
      /** Where the browser goes: handOff's URL, or the refusal page when the return address was removed. */
      redirectTo: string;
      /** The hand-off, checked against the configuration of this moment. */
      handOff: HandOff;
      ctx: ClientContext;
      invitation: Invitation;
    }
  | { kind: "identifier-taken" }
  /** The password may not be kept (only whitespace, made of the identifier or the brand, common). */
  | { kind: "password-refused"; reason: PasswordRefusal }
  | SubmittedLinkState;

class IdentifierTaken extends Error {}
class LostRace extends Error {}

export async function acceptInvitation(s: Services, input: AcceptInput): Promise<AcceptResult> {
  const state = await lookupLink(s, input.tokenHash);
  if (state.kind !== "valid") return asSubmitted(state);
  const { invitation, ctx } = state;
  // A join invitation never activates anything, nor sets a password: it is accepted with the
  // account's current password (join.ts).
  if (invitation.kind === "join") return { kind: "invalid" };
  const email = identifierLocked(ctx) ? invitation.email : input.email?.trim().toLowerCase() || invitation.email;
  const refusal = await passwordRefusal(input.password, {
    emails: [invitation.email, email],
    phone: invitation.phone,
    brand: ctx.brand.name,
  });
  if (refusal) return { kind: "password-refused", reason: refusal };
  const passwordHash = await s.passwords.hash(input.password);
  const now = s.clock.now().toISOString();
  const activation: Activation = {
    passwordHash,
    profile: { ...(state.account?.profile ?? {}), ...input.profile },
    email,
    phone: invitation.phone,
    // The link went to one address: following it proves that address, not one the invitee typed.
    emailVerified: email !== null && email === invitation.email && invitation.channel === "email",
    phoneVerified: invitation.phone !== null && invitation.channel === "sms",
    locale: input.locale,
    organization: invitation.organization,
    groups: groupsOnAcceptance(invitation, ctx),
    roles: invitation.roles,
    now,
  };
  let accountId = invitation.accountId ?? randomUUID();
  try {
    await s.db.kysely.transaction().execute(async (trx) => {
      // An admin invitation for someone a brand's backend pre-registered meanwhile: the pending
      // account created for the invitation's own identifier is theirs, so it is the one activated
      // (with everything this invitation grants). Only the invited identifier finds it: an email
      // the invitee typed never selects an account, it can only be refused as taken below.
      const holder = invitation.accountId ? undefined : await ownPendingAccount(trx, invitation);
      if (holder) {
        // The holder's own open invitations first, as a pre-register resend locks them (then the
        // account): the two never wait on each other in opposite orders (PostgreSQL).
        await findOpenInvitationOfAccount(trx, holder.id, s.clock.now(), s.db.dialect === "postgres");
        accountId = holder.id;
        activation.profile = { ...holder.profile, ...activation.profile };
      }
      if (!(await markInvitationDone(trx, invitation.id, input.tokenHash, accountId, now))) throw new LostRace();
      // A unique violation here means the email the invitee chose belongs to another account.
      try {
        if (invitation.accountId || holder) {
          if (!(await activatePendingAccount(trx, accountId, activation))) throw new LostRace();
          await closeInvitationsOfAccount(trx, accountId, now);
        } else {
          await insertActiveAccount(trx, accountId, invitation.store, activation);
        }
      } catch (error) {
        throw isUniqueViolation(error) ? new IdentifierTaken() : error;
      }
      const membership = membershipOf(invitation, now);
      if (membership) await grantMembership(trx, accountId, membership);
      await linkClient(trx, accountId, ctx.client.clientId, now);
      await s.webhooks.publish(trx, "invitation.accepted", invitationEventData({ ...invitation, accountId }, "done"), new Date(now));
    });
  } catch (error) {
    if (error instanceof IdentifierTaken) return { kind: "identifier-taken" };
    if (error instanceof LostRace) {
      const after = await lookupLink(s, input.tokenHash);
      return after.kind === "valid" ? { kind: "used", invitation, ctx } : asSubmitted(after);
    }
    throw error;
  }
  s.worker.kick();
  s.log.info("invitation.accepted", { invitation: invitation.id, account: accountId, client: ctx.client.clientId });
  const loginHint = email ?? invitation.phone ?? "";
  const handOff = handOffTarget(s, ctx, { redirectUri: invitation.redirectUri, loginHint, locale: input.locale, state: input.state });
  return { kind: "activated", accountId, ctx, invitation, handOff, redirectTo: redirectOf(s, handOff) };
}

/**
 * The hand-off at the end of the journey (docs/journey.md, "What the journey hands back"): the
 * invitation's stored return address is checked again against the client's redirect URIs as
 * configured now. One removed since is refused: the journey shows a page instead of redirecting.
 */
export type HandOff = { kind: "redirect"; url: string } | { kind: "return-address-removed"; clientId: string };

export function handOffTarget(
  s: Services,
  ctx: ClientContext,
  p: { redirectUri?: string | null; loginHint?: string | null; locale: string; state?: string | null },
): HandOff {
  if (p.redirectUri && !ctx.client.redirectUris.includes(p.redirectUri))
    return { kind: "return-address-removed", clientId: ctx.client.clientId };
  return { kind: "redirect", url: authorizationUrl(s, ctx, p) };
}

/** The journey's page for a return address removed from the configuration (docs/journey.md). */
export const RETURN_UNAVAILABLE_PATH = "/invite/return-unavailable";

/** The URL a hand-off sends the browser to: the identity provider, or the refusal page. */
export function redirectOf(s: Services, handOff: HandOff): string {
  return handOff.kind === "redirect" ? handOff.url : `${s.env.publicUrl}${RETURN_UNAVAILABLE_PATH}`;
}

/**
 * The authorization request to the identity provider; also the "Sign in" target. Callers that
 * hand an invitee back use handOffTarget, which checks a stored return address first.
 */
export function authorizationUrl(
  s: Services,
  ctx: ClientContext,
  p: { redirectUri?: string | null; loginHint?: string | null; locale: string; state?: string | null },
): string {
  const url = new URL(s.tenant.authorizationEndpoint, `${s.env.publicUrl}/`);
  url.searchParams.set("client_id", ctx.client.clientId);
  url.searchParams.set("redirect_uri", p.redirectUri ?? ctx.client.redirectUris[0]!);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("scope", "openid");
  if (p.loginHint) url.searchParams.set("login_hint", p.loginHint);
  url.searchParams.set("ui_locales", p.locale);
  if (p.state) url.searchParams.set("state", p.state);
  return url.toString();
}
