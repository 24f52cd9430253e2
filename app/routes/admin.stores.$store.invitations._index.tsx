// The invitations list, what an administrator sees after sending: Pending / Done / Expired, search by email, paging.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { canWrite, chooseLanguage, formatDate, listInvitations, requireAdmin } from "~/console/admin.server";
import { Notice, Pager, StatusBadge } from "~/console/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export const PAGE_SIZE = 20;
const STATUSES = ["pending", "done", "expired"] as const;
const NOTICES = ["revoked"] as const;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { principal } = await requireAdmin(request, context);
  const s = context.services;
  const store = params.store ?? "";
  const lng = await chooseLanguage(context, request);
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 254);
  const statusParam = url.searchParams.get("status");
  const status = STATUSES.find((x) => x === statusParam);
  const page = Math.max(1, Math.min(10_000, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1));
  const noticeParam = url.searchParams.get("notice");
  const result = await listInvitations(
    s.db.kysely,
    store,
    { status, emailContains: q || undefined, page: page - 1, size: PAGE_SIZE, sort: { field: "created", direction: "desc" } },
    s.clock.now(),
  );
  const t = s.i18n.t(lng, "admin");
  const clientName = (clientId: string) => s.tenant.client(clientId)?.application.name ?? clientId;
  const orgName = (id: string | null) => (id ? (s.tenant.store(store)?.organizations.find((o) => o.id === id)?.name ?? id) : null);
  return {
    title: t("invitations.title", { store }),
    store,
    canWrite: canWrite(principal),
    q,
    status: status ?? "",
    page,
    pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
    total: result.total,
    notice: NOTICES.find((n) => n === noticeParam),
    items: result.items.map((i) => ({
      id: i.id,
      email: i.email ?? i.phone ?? "",
      status: i.status,
      organization: orgName(i.organization),
      application: clientName(i.clientId),
      sent: formatDate(i.sent, lng),
      validUntil: formatDate(i.validUntil, lng),
    })),
  };
}

export default function InvitationsList() {
  const { store, q, status, page, pages, total, items, notice, canWrite } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin");
  const query: Record<string, string> = {};
  if (q) query.q = q;
  if (status) query.status = status;
  return (
    <section aria-labelledby="invitations-heading">
      <h2 id="invitations-heading">{t("tabs.invitations")}</h2>
      {notice === "revoked" ? <Notice tone="success">{t("notices.revoked")}</Notice> : null}
      {canWrite ? (
        <p>
          <Link to={`/admin/stores/${encodeURIComponent(store)}/invitations/bulk`}>{t("bulk.button")}</Link>
        </p>
      ) : null}
      <form method="get" className="admin-search" role="search" aria-label={t("invitations.searchLabel")}>
        <div className="field">
          <label htmlFor="q">{t("invitations.search")}</label>
          <input id="q" name="q" type="search" defaultValue={q} maxLength={254} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="status">{t("invitations.statusFilter")}</label>
          <select id="status" name="status" defaultValue={status}>
            <option value="">{t("invitations.allStatuses")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button secondary">
          {t("invitations.searchButton")}
        </button>
      </form>
      <p className="hint" aria-live="polite">
        {t("invitations.count", { count: total })}
      </p>
      {items.length === 0 ? (
        <p>{q || status ? t("invitations.noMatch") : t("invitations.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t("invitations.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("fields.email")}</th>
                <th scope="col">{t("fields.status")}</th>
                <th scope="col">{t("fields.organization")}</th>
                <th scope="col">{t("fields.application")}</th>
                <th scope="col">{t("fields.sent")}</th>
                <th scope="col">{t("fields.validUntil")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id}>
                  <td>
                    <Link to={`/admin/stores/${encodeURIComponent(store)}/invitations/${i.id}`}>{i.email}</Link>
                  </td>
                  <td>
                    <StatusBadge status={i.status} />
                  </td>
                  <td>{i.organization ?? t("invite.noOrganization")}</td>
                  <td>{i.application}</td>
                  <td>{i.sent ?? t("invitations.notSent")}</td>
                  <td>{i.validUntil}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pages={pages} query={query} label={t("pager.invitations")} />
    </section>
  );
}
