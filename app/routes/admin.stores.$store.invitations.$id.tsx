// An invitation's detailed view: Resend, View details and Revoke (on a confirmation
// page, so it works without JavaScript). A Done invitation links to the account it produced.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import {
  canWrite,
  chooseLanguage,
  formatDate,
  getInvitation,
  requireAdmin,
  requireAdminPost,
  resendAdminInvitation,
} from "~/console/admin.server";
import { CsrfField, Notice, StatusBadge, ProfileFieldLabel } from "~/console/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const NOTICES = ["created", "resent"] as const;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
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
  return {
    title: t("detail.title", { email: invitation.email ?? invitation.phone }),
    store: store.name,
    canWrite: canWrite(principal),
    notice: NOTICES.find((n) => n === noticeParam),
    invitation: {
      id: invitation.id,
      email: invitation.email ?? invitation.phone ?? "",
      status: invitation.status,
      language: `${s.i18n.t(invitation.language, "common")("languageName")} (${invitation.language})`,
      organization: org?.name ?? invitation.organization,
      client: ctx ? `${ctx.application.name} (${ctx.client.clientId})` : invitation.clientId,
      roles: invitation.roles.map((r) => org?.roles.find((x) => x.id === r.id)?.name ?? r.id),
      groups: invitation.groups.map((g) => store.groups.find((x) => x.id === g.id)?.name ?? g.id),
      applicationGroups: (ctx?.application.groups ?? []).map((id) => store.groups.find((x) => x.id === id)?.name ?? id),
      metadata: Object.entries(invitation.metadata).map(([name, value]) => ({ name, value })),
      sent: formatDate(invitation.sent, lng),
      created: formatDate(invitation.createdAt, lng),
      validUntil: formatDate(invitation.validUntil, lng),
      resendCount: invitation.resendCount,
      accountId: invitation.accountId,
      source: invitation.source,
      kind: invitation.kind,
    },
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  await requireAdminPost(request, context, "write:account");
  const store = params.store ?? "";
  const outcome = await resendAdminInvitation(context.services, store, params.id ?? "");
  switch (outcome.kind) {
    case "resent":
      return redirect(`/admin/stores/${encodeURIComponent(store)}/invitations/${outcome.invitation.id}?notice=resent`);
    case "not-found":
      throw data({ formError: null }, { status: 404 });
    default:
      return data({ problem: outcome.kind }, { status: outcome.kind === "resend-disabled" ? 400 : 409 });
  }
}

export default function InvitationDetail() {
  const { store, invitation: i, notice, canWrite } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("admin");
  const base = `/admin/stores/${encodeURIComponent(store)}`;
  const open = i.status !== "done";
  return (
    <section aria-labelledby="detail-heading" className="card">
      <p>
        <Link to={`${base}/invitations`}>{t("detail.back")}</Link>
      </p>
      <h2 id="detail-heading" className="detail-heading">
        <span>{i.email}</span> <StatusBadge status={i.status} />
      </h2>
      {notice === "created" ? (
        <Notice tone="success">{t(i.kind === "join" ? "notices.createdJoin" : "notices.created", { email: i.email })}</Notice>
      ) : null}
      {notice === "resent" ? <Notice tone="success">{t("notices.resent", { email: i.email })}</Notice> : null}
      {actionData?.problem ? (
        <div className="error-summary" role="alert">
          <p>{t(`detail.problems.${actionData.problem}`)}</p>
        </div>
      ) : null}

      <dl className="summary-list">
        <dt>{t("fields.status")}</dt>
        <dd>{t(i.kind === "join" ? `detail.joinStatus.${i.status}` : `detail.statusExplained.${i.status}`)}</dd>
        <dt>{t("fields.kind")}</dt>
        <dd>{t(`detail.kind.${i.kind}`)}</dd>
        <dt>{t("fields.organization")}</dt>
        <dd>{i.organization ?? t("invite.noOrganization")}</dd>
        <dt>{t("fields.client")}</dt>
        <dd>{i.client}</dd>
        <dt>{t("fields.sent")}</dt>
        <dd>{i.sent ?? t("invitations.notSent")}</dd>
        <dt>{t("fields.validUntil")}</dt>
        <dd>{i.validUntil}</dd>
        {i.accountId ? (
          <>
            <dt>{t("fields.account")}</dt>
            <dd>
              <Link to={`${base}/accounts/${i.accountId}`}>{t("detail.openAccount")}</Link>
            </dd>
          </>
        ) : null}
      </dl>

      {canWrite && open ? (
        <div className="form-actions">
          <Form method="post">
            <CsrfField />
            <button type="submit" className="button">
              {i.status === "expired" ? t("detail.resendExpired") : t("detail.resend")}
            </button>
          </Form>
          <Link to={`${base}/invitations/${i.id}/revoke`} className="button danger">
            {t("detail.revoke")}
          </Link>
        </div>
      ) : null}

      <details className="admin-details">
        <summary>{t("detail.viewDetails")}</summary>
        <dl className="summary-list">
          <dt>{t("fields.email")}</dt>
          <dd>{i.email}</dd>
          <dt>{t("fields.language")}</dt>
          <dd>{i.language}</dd>
          <dt>{t("fields.roles")}</dt>
          <dd>{i.roles.length ? i.roles.join(", ") : t("detail.none")}</dd>
          <dt>{t("fields.groups")}</dt>
          <dd>{i.groups.length ? i.groups.join(", ") : t("detail.none")}</dd>
          <dt>{t("fields.applicationGroups")}</dt>
          <dd>{i.applicationGroups.length ? i.applicationGroups.join(", ") : t("detail.none")}</dd>
          {i.metadata.map((m) => (
            <Fragment key={m.name}>
              <dt>
                <ProfileFieldLabel name={m.name} />
              </dt>
              <dd>{m.value}</dd>
            </Fragment>
          ))}
          <dt>{t("fields.created")}</dt>
          <dd>{i.created}</dd>
          <dt>{t("fields.resendCount")}</dt>
          <dd>{i.resendCount}</dd>
          <dt>{t("fields.source")}</dt>
          <dd>{t(`detail.source.${i.source}`)}</dd>
          <dt>{t("fields.id")}</dt>
          <dd>
            <code>{i.id}</code>
          </dd>
        </dl>
      </details>
    </section>
  );
}
