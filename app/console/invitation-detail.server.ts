// An invitation's detail view on the server (docs/admin-api.md, the console): what the page shows
// (who invited, the messages and their delivery, the reminder) and its two POSTs: Resend (a new
// link in a message, in the chosen language and validity) and "Get a link to share" (a new link
// and no message, like the API's resend with sendEmail false). The shared link is in that POST's
// answer only: never in a URL, a redirect, the session or a log.
import { data, redirect, type AppLoadContext } from "@remix-run/node";
import {
  canWrite,
  chooseLanguage,
  formatDate,
  getInvitation,
  listDeliveries,
  requireAdmin,
  requireAdminPost,
  resendAdminInvitation,
} from "./admin.server";
import { EXPIRES_IN_HOURS, LANGUAGE } from "./invite-schema";
import { validityChoices } from "./validity.server";

const NOTICES = ["created", "resent"] as const;

export async function invitationDetail(request: Request, context: AppLoadContext, params: { store?: string; id?: string }) {
  const { principal } = await requireAdmin(request, context);
  const s = context.services;
  const store = s.tenant.store(params.store ?? "");
  const invitation = store && (await getInvitation(s.db.kysely, store.name, params.id ?? "", s.clock.now()));
  if (!store || !invitation) throw data({ formError: null }, { status: 404 });
  const lng = await chooseLanguage(context, request);
  const t = s.i18n.t(lng, "admin");
  const ctx = s.tenant.client(invitation.clientId);
  const org = store.organizations.find((o) => o.id === invitation.organization);
  const noticeParam = new URL(request.url).searchParams.get("notice");
  const languageName = (code: string) => `${s.i18n.t(code, "common")("languageName")} (${code})`;
  const deliveries = await listDeliveries(s.db.kysely, invitation.id);
  return {
    title: t("detail.title", { email: invitation.email ?? invitation.phone }),
    store: store.name,
    canWrite: canWrite(principal),
    notice: NOTICES.find((n) => n === noticeParam),
    languages: s.i18n.languages.filter((code) => LANGUAGE.test(code)).map((code) => ({ code, name: languageName(code) })),
    validity: validityChoices(store, t),
    invitation: {
      id: invitation.id,
      email: invitation.email ?? invitation.phone ?? "",
      status: invitation.status,
      languageCode: invitation.language,
      language: languageName(invitation.language),
      organization: org?.name ?? invitation.organization,
      client: ctx ? `${ctx.application.name} (${ctx.client.clientId})` : invitation.clientId,
      redirectUri: invitation.redirectUri,
      roles: invitation.roles.map((r) => org?.roles.find((x) => x.id === r.id)?.name ?? r.id),
      groups: invitation.groups.map((g) => store.groups.find((x) => x.id === g.id)?.name ?? g.id),
      applicationGroups: (ctx?.application.groups ?? []).map((id) => store.groups.find((x) => x.id === id)?.name ?? id),
      metadata: Object.entries(invitation.metadata).map(([name, value]) => ({ name, value })),
      sent: formatDate(invitation.sent, lng),
      created: formatDate(invitation.createdAt, lng),
      validUntil: formatDate(invitation.validUntil, lng),
      remindedAt: formatDate(invitation.remindedAt, lng),
      invitedBy: invitation.invitedBy
        ? t(`invitedBy.${invitation.invitedBy.type}`, { name: invitation.invitedBy.name })
        : t("invitedBy.none"),
      resendCount: invitation.resendCount,
      accountId: invitation.accountId,
      source: invitation.source,
      kind: invitation.kind,
      deliveries: deliveries.map((d) => ({
        id: d.id,
        channel: d.channel,
        status: d.status,
        attempts: d.attempts,
        lastAttemptAt: formatDate(d.lastAttemptAt, lng),
        sentAt: formatDate(d.sentAt, lng),
        error: d.error,
      })),
    },
  };
}

export type DetailProblem = "invalid" | "already-accepted" | "resend-disabled" | "pending-exists" | "rules";

/** Resend (intent "resend", the default) or "Get a link to share" (intent "share"). */
export async function invitationAction(request: Request, context: AppLoadContext, params: { store?: string; id?: string }) {
  const { form } = await requireAdminPost(request, context, "write:account");
  const s = context.services;
  const store = params.store ?? "";
  const share = form.get("intent") === "share";
  const language = form.get("language");
  const hours = form.get("expiresInHours");
  // The page offers its own choices; anything else was not sent by it.
  if (
    (language !== null && (typeof language !== "string" || !LANGUAGE.test(language))) ||
    (hours !== null && (typeof hours !== "string" || !EXPIRES_IN_HOURS.test(hours)))
  )
    return data({ problem: "invalid" as DetailProblem, shared: null }, { status: 400 });
  const outcome = await resendAdminInvitation(s, store, params.id ?? "", {
    sendEmail: !share,
    ...(language ? { language } : {}),
    ...(hours ? { expiresInHours: Number(hours) } : {}),
  });
  switch (outcome.kind) {
    case "resent": {
      if (!share) return redirect(`/admin/stores/${encodeURIComponent(store)}/invitations/${outcome.invitation.id}?notice=resent`);
      const lng = await chooseLanguage(context, request);
      return data({
        problem: null,
        shared: { url: outcome.invitationUrl ?? "", validUntil: formatDate(outcome.invitation.validUntil, lng) ?? "" },
      });
    }
    case "not-found":
      throw data({ formError: null }, { status: 404 });
    default:
      return data(
        { problem: outcome.kind as DetailProblem, shared: null },
        { status: outcome.kind === "resend-disabled" || outcome.kind === "rules" ? 400 : 409 },
      );
  }
}
