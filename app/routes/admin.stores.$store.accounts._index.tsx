// The Accounts tab: where an accepted invitation shows up, with search and paging.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { chooseLanguage, formatDate, listAccounts, requireAdmin } from "~/console/admin.server";
import { Pager, StatusBadge } from "~/console/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const PAGE_SIZE = 20;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireAdmin(request, context);
  const s = context.services;
  const store = params.store ?? "";
  const lng = await chooseLanguage(context, request);
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 254);
  const page = Math.max(1, Math.min(10_000, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1));
  const result = await listAccounts(s.db.kysely, store, { emailContains: q || undefined, page: page - 1, size: PAGE_SIZE });
  const storeConfig = s.tenant.store(store);
  const orgName = (id: string | null) => (id ? (storeConfig?.organizations.find((o) => o.id === id)?.name ?? id) : null);
  return {
    title: s.i18n.t(lng, "admin")("accounts.title", { store }),
    store,
    q,
    page,
    pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
    total: result.total,
    items: result.items.map((a) => ({
      id: a.id,
      email: a.email ?? a.phone ?? a.id,
      status: a.status,
      organization: orgName(a.organization),
      groups: a.groups.map((g) => storeConfig?.groups.find((x) => x.id === g)?.name ?? g),
      created: formatDate(a.createdAt, lng),
    })),
  };
}

export default function AccountsList() {
  const { store, q, page, pages, total, items } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin");
  return (
    <section aria-labelledby="accounts-heading">
      <h2 id="accounts-heading">{t("tabs.accounts")}</h2>
      <form method="get" className="admin-search" role="search" aria-label={t("accounts.searchLabel")}>
        <div className="field">
          <label htmlFor="q">{t("invitations.search")}</label>
          <input id="q" name="q" type="search" defaultValue={q} maxLength={254} autoComplete="off" />
        </div>
        <button type="submit" className="button secondary">
          {t("invitations.searchButton")}
        </button>
      </form>
      <p className="hint" aria-live="polite">
        {t("accounts.count", { count: total })}
      </p>
      {items.length === 0 ? (
        <p>{q ? t("accounts.noMatch") : t("accounts.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t("accounts.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("fields.email")}</th>
                <th scope="col">{t("fields.status")}</th>
                <th scope="col">{t("fields.organization")}</th>
                <th scope="col">{t("fields.groups")}</th>
                <th scope="col">{t("fields.created")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Link to={`/admin/stores/${encodeURIComponent(store)}/accounts/${a.id}`}>{a.email}</Link>
                  </td>
                  <td>
                    <StatusBadge status={a.status} />
                  </td>
                  <td>{a.organization ?? t("invite.noOrganization")}</td>
                  <td>{a.groups.join(", ") || t("detail.none")}</td>
                  <td>{a.created}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pages={pages} query={q ? { q } : {}} label={t("pager.accounts")} />
    </section>
  );
}
