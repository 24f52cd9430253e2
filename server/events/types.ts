// The invitation events published to webhooks (docs/webhooks.md). Kept free of imports so the
// configuration schema can name them.
export const invitationEventTypes = [
  "invitation.created",
  "invitation.sent",
  "invitation.accepted",
  "invitation.revoked",
  "invitation.expired",
  "invitation.reminded",
  "invitation.delivery_failed",
] as const;

export type InvitationEventType = (typeof invitationEventTypes)[number];

/**
 * What an event says about its invitation. Deliberately no email, phone, name, metadata or token:
 * personal data stays out of webhooks, receivers fetch details through the admin API.
 */
export interface InvitationEventData {
  invitationId: string;
  store: string;
  clientId: string;
  organization: string | null;
  /** The invitation's status after the event; "revoked" once it has been deleted. */
  status: "pending" | "done" | "expired" | "revoked";
  accountId?: string;
  /** invitation.accepted only: true when an existing active account joined (no account was activated). */
  joined?: true;
  /**
   * Who sent the invitation: an admin token's or a console administrator's configured name, or
   * the pre-registering client's id. Absent for admin invitations made before it was recorded.
   */
  invitedBy?: { type: "token" | "console" | "client"; name: string };
  /** invitation.delivery_failed only: the message given up on, by id, channel and short error class. */
  delivery?: { id: string; channel: "email" | "sms"; error: string | null };
}

export interface InvitationEvent {
  id: string;
  type: InvitationEventType;
  occurredAt: string;
  data: InvitationEventData;
}

/** Only the fields listed above, whatever else the invitation carries. */
export function invitationEventData(
  inv: {
    id: string;
    store: string;
    clientId: string;
    organization: string | null;
    accountId?: string | null;
    invitedBy?: InvitationEventData["invitedBy"] | null;
  },
  status: InvitationEventData["status"],
  extra: { joined?: true; delivery?: InvitationEventData["delivery"] } = {},
): InvitationEventData {
  return {
    invitationId: inv.id,
    store: inv.store,
    clientId: inv.clientId,
    organization: inv.organization,
    status,
    ...(inv.accountId ? { accountId: inv.accountId } : {}),
    ...(inv.invitedBy ? { invitedBy: { type: inv.invitedBy.type, name: inv.invitedBy.name } } : {}),
    ...(extra.joined ? { joined: true as const } : {}),
    ...(extra.delivery ? { delivery: extra.delivery } : {}),
  };
}
