// An invitation's detailed view: who invited, the messages and their delivery, Resend (language and
// validity), "Get a link to share", View details and Revoke (on a confirmation page, so it works
// without JavaScript). A Done invitation links to the account it produced. The server side is
// app/console/invitation-detail.server.ts.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { invitationAction, invitationDetail } from "~/console/invitation-detail.server";
import { SharedLink, ShareLinkForm } from "~/console/components/ShareLink";
import { CsrfField, NotDeliveredBadge, Notice, ProfileFieldLabel, SelectField, StatusBadge } from "~/console/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return invitationDetail(request, context, params);
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  return invitationAction(request, context, params);
}

export default function InvitationDetail() {
  const { store, invitation: i, notice, canWrite, languages, validity } = useLoaderData<typeof loader>();
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
      {actionData?.shared ? <SharedLink url={actionData.shared.url} validUntil={actionData.shared.validUntil} /> : null}
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
        <dt>{t("fields.remindedAt")}</dt>
        <dd>{i.remindedAt ?? t("detail.notReminded")}</dd>
        <dt>{t("fields.invitedBy")}</dt>
        <dd>{i.invitedBy}</dd>
        {i.accountId ? (
          <>
            <dt>{t("fields.account")}</dt>
            <dd>
              <Link to={`${base}/accounts/${i.accountId}`}>{t("detail.openAccount")}</Link>
            </dd>
          </>
        ) : null}
      </dl>

      <h3 id="deliveries-heading">{t("detail.deliveriesTitle")}</h3>
      {i.deliveries.length ? (
        <div className="table-wrap">
          <table aria-labelledby="deliveries-heading">
            <caption className="visually-hidden">{t("detail.deliveriesCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("fields.channel")}</th>
                <th scope="col">{t("fields.delivery")}</th>
                <th scope="col">{t("detail.attempts")}</th>
                <th scope="col">{t("detail.lastAttempt")}</th>
                <th scope="col">{t("fields.sent")}</th>
                <th scope="col">{t("detail.error")}</th>
              </tr>
            </thead>
            <tbody>
              {i.deliveries.map((d) => (
                <tr key={d.id}>
                  <td>{t(`invitations.channel.${d.channel}`)}</td>
                  <td>{d.status === "abandoned" ? <NotDeliveredBadge /> : t(`invitations.delivery.${d.status}`)}</td>
                  <td>{d.attempts}</td>
                  <td>{d.lastAttemptAt ?? t("detail.none")}</td>
                  <td>{d.sentAt ?? t("detail.none")}</td>
                  <td>{d.error ?? t("detail.none")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t("detail.noDeliveries")}</p>
      )}

      {canWrite && open ? (
        <>
          <Form method="post" className="admin-resend" aria-labelledby="resend-heading">
            <CsrfField />
            <input type="hidden" name="intent" value="resend" />
            <h3 id="resend-heading">{t("detail.resendTitle")}</h3>
            <p className="hint">{t("detail.resendHint")}</p>
            <SelectField
              id="resend-language"
              label={t("fields.language")}
              hint={t("detail.languageHint")}
              selectProps={{ name: "language", defaultValue: i.languageCode }}
              options={languages.map((l) => ({ value: l.code, label: l.name, lang: l.code }))}
            />
            <SelectField
              id="resend-valid-for"
              label={t("fields.validFor")}
              hint={t("invite.validForHint", { max: validity.max })}
              selectProps={{ name: "expiresInHours", defaultValue: String(validity.defaultHours) }}
              options={validity.choices.map((c) => ({ value: String(c.hours), label: c.label }))}
            />
            <div className="form-actions">
              <button type="submit" className="button">
                {i.status === "expired" ? t("detail.resendExpired") : t("detail.resend")}
              </button>
              <Link to={`${base}/invitations/${i.id}/revoke`} className="button danger">
                {t("detail.revoke")}
              </Link>
            </div>
          </Form>
          <ShareLinkForm />
        </>
      ) : null}

      <details className="admin-details">
        <summary>{t("detail.viewDetails")}</summary>
        <dl className="summary-list">
          <dt>{t("fields.email")}</dt>
          <dd>{i.email}</dd>
          <dt>{t("fields.language")}</dt>
          <dd>{i.language}</dd>
          <dt>{t("fields.redirectUri")}</dt>
          <dd>{i.redirectUri ?? t("invite.returnDefault")}</dd>
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
