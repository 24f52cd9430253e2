// The invitations list, what an administrator sees after sending: Pending / Done / Expired and
// "Not delivered" badges, who invited, filters (status, organization, client, channel, delivery),
// search by email or phone, sort by creation or by last sending, paging, and the filtered list as
// a CSV download. The filters are a GET form, so all of it works without JavaScript.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { canWrite, chooseLanguage, formatDate, latestDeliveryStatuses, listInvitations, requireAdmin } from "~/console/admin.server";
import { PAGE_SIZE, readListQuery, storeClients } from "~/console/invitation-list.server";
import { CHANNELS, DELIVERIES, listQueryString, SEARCH_MAX, SORTS, STATUSES } from "~/console/invitation-list";
import { NotDeliveredBadge, Notice, Pager, StatusBadge } from "~/console/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const NOTICES = ["revoked"] as const;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { principal } = await requireAdmin(request, context);
  const s = context.services;
  const store = s.tenant.store(params.store ?? "");
  if (!store) throw data({ formError: null }, { status: 404 });
  const lng = await chooseLanguage(context, request);
  const url = new URL(request.url);
  const { params: query, filter, page } = readListQuery(context, store, url);
  const result = await listInvitations(s.db.kysely, store.name, { ...filter, page: page - 1, size: PAGE_SIZE }, s.clock.now());
  const delivery = await latestDeliveryStatuses(
    s.db.kysely,
    result.items.map((i) => i.id),
  );
  const t = s.i18n.t(lng, "admin");
  const clientName = (clientId: string) => s.tenant.client(clientId)?.application.name ?? clientId;
  const orgName = (id: string | null) => (id ? (store.organizations.find((o) => o.id === id)?.name ?? id) : null);
  const noticeParam = url.searchParams.get("notice");
  return {
    title: t("invitations.title", { store: store.name }),
    store: store.name,
    canWrite: canWrite(principal),
    query,
    page,
    pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
    total: result.total,
    notice: NOTICES.find((n) => n === noticeParam),
    organizations: store.organizations.map((o) => ({ id: o.id, name: o.name })),
    clients: storeClients(context, store),
    items: result.items.map((i) => ({
      id: i.id,
      email: i.email ?? i.phone ?? "",
      status: i.status,
      notDelivered: delivery.get(i.id) === "abandoned",
      organization: orgName(i.organization),
      application: clientName(i.clientId),
      invitedBy: i.invitedBy ? t(`invitedBy.${i.invitedBy.type}`, { name: i.invitedBy.name }) : t("invitedBy.none"),
      sent: formatDate(i.sent, lng),
      validUntil: formatDate(i.validUntil, lng),
    })),
  };
}

export default function InvitationsList() {
  const { store, query: f, page, pages, total, items, notice, canWrite, organizations, clients } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin");
  const query = listQueryString(f);
  const base = `/admin/stores/${encodeURIComponent(store)}/invitations`;
  const filtered = Object.keys(query).length > 0;
  const csvHref = `${base}/export.csv${filtered ? `?${new URLSearchParams(query).toString()}` : ""}`;
  const select = (name: keyof typeof f, label: string, options: { value: string; label: string }[]) => (
    <div className="field">
      <label htmlFor={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} name={name} defaultValue={f[name]}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <section aria-labelledby="invitations-heading">
      <h2 id="invitations-heading">{t("tabs.invitations")}</h2>
      {notice === "revoked" ? <Notice tone="success">{t("notices.revoked")}</Notice> : null}
      {canWrite ? (
        <p>
          <Link to={`${base}/bulk`}>{t("bulk.button")}</Link>
        </p>
      ) : null}
      <form method="get" className="admin-search" role="search" aria-label={t("invitations.searchLabel")}>
        <div className="field">
          <label htmlFor="q">{t("invitations.search")}</label>
          <input id="q" name="q" type="search" defaultValue={f.q} maxLength={SEARCH_MAX} autoComplete="off" />
        </div>
        {select("status", t("invitations.statusFilter"), [
          { value: "", label: t("invitations.allStatuses") },
          ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
        ])}
        {select("organization", t("fields.organization"), [
          { value: "", label: t("invitations.allOrganizations") },
          ...organizations.map((o) => ({ value: o.id, label: o.name })),
        ])}
        {select("clientId", t("fields.client"), [
          { value: "", label: t("invitations.allClients") },
          ...clients.map((c) => ({ value: c.id, label: c.label })),
        ])}
        {select("channel", t("fields.channel"), [
          { value: "", label: t("invitations.allChannels") },
          ...CHANNELS.map((c) => ({ value: c, label: t(`invitations.channel.${c}`) })),
        ])}
        {select("delivery", t("fields.delivery"), [
          { value: "", label: t("invitations.anyDelivery") },
          ...DELIVERIES.map((d) => ({ value: d, label: t(`invitations.delivery.${d}`) })),
        ])}
        {select(
          "sort",
          t("fields.sort"),
          SORTS.map((s) => ({ value: s, label: t(s === "sent" ? "invitations.sortSent" : "invitations.sortCreated") })),
        )}
        <button type="submit" className="button secondary">
          {t("invitations.searchButton")}
        </button>
      </form>
      <p className="hint" aria-live="polite">
        {t("invitations.count", { count: total })}
      </p>
      {total > 0 ? (
        <p>
          <a href={csvHref} download>
            {t("invitations.download")}
          </a>
        </p>
      ) : null}
      {total === 0 ? (
        <p>{filtered ? t("invitations.noMatch") : t("invitations.empty")}</p>
      ) : items.length === 0 ? (
        <p>
          {t("invitations.pastEnd")}{" "}
          <a href={`?${new URLSearchParams({ ...query, page: String(pages) }).toString()}`}>{t("invitations.lastPage")}</a>
        </p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t(f.sort === "sent" ? "invitations.captionSent" : "invitations.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("fields.email")}</th>
                <th scope="col">{t("fields.status")}</th>
                <th scope="col">{t("fields.organization")}</th>
                <th scope="col">{t("fields.application")}</th>
                <th scope="col">{t("fields.invitedBy")}</th>
                <th scope="col">{t("fields.sent")}</th>
                <th scope="col">{t("fields.validUntil")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id}>
                  <td>
                    <Link to={`${base}/${i.id}`}>{i.email}</Link>
                  </td>
                  <td>
                    <StatusBadge status={i.status} /> {i.notDelivered ? <NotDeliveredBadge /> : null}
                  </td>
                  <td>{i.organization ?? t("invite.noOrganization")}</td>
                  <td>{i.application}</td>
                  <td>{i.invitedBy}</td>
                  <td>{i.sent ?? t("invitations.notSent")}</td>
                  <td>{i.validUntil}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {items.length ? <Pager page={page} pages={pages} query={query} label={t("pager.invitations")} /> : null}
    </section>
  );
}
