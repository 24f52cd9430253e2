// One account, read-only: what accepted invitations produced (store, every organization it belongs
// to with its roles and the invitation that granted it, groups, clients, profile, locale).
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { chooseLanguage, formatDate, getAccount, requireAdmin } from "~/console/admin.server";
import { StatusBadge, ProfileFieldLabel } from "~/console/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireAdmin(request, context);
  const s = context.services;
  const store = s.tenant.store(params.store ?? "");
  const account = store && (await getAccount(s.db.kysely, store.name, params.id ?? ""));
  if (!store || !account) throw data({ formError: null }, { status: 404 });
  const lng = await chooseLanguage(context, request);
  return {
    title: s.i18n.t(lng, "admin")("account.title", { email: account.email ?? account.phone }),
    store: store.name,
    account: {
      id: account.id,
      email: account.email,
      phone: account.phone,
      status: account.status,
      memberships: account.memberships.map((m) => {
        const org = store.organizations.find((o) => o.id === m.organization);
        return {
          organization: org?.name ?? m.organization,
          roles: m.roles.map((id) => org?.roles.find((x) => x.id === id)?.name ?? id),
          grantedBy: m.grantedBy,
          grantedAt: formatDate(m.grantedAt, lng),
        };
      }),
      groups: account.groups.map((g) => store.groups.find((x) => x.id === g)?.name ?? g),
      clients: account.clients.map((id) => {
        const ctx = s.tenant.client(id);
        return ctx ? `${ctx.application.name} (${id})` : id;
      }),
      locale: account.locale,
      profile: Object.entries(account.profile).map(([name, value]) => ({ name, value })),
      created: formatDate(account.createdAt, lng),
      activated: formatDate(account.activatedAt, lng),
    },
  };
}

export default function AccountDetail() {
  const { store, account: a } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin");
  const none = t("detail.none");
  return (
    <section aria-labelledby="account-heading" className="card">
      <p>
        <Link to={`/admin/stores/${encodeURIComponent(store)}/accounts`}>{t("account.back")}</Link>
      </p>
      <h2 id="account-heading" className="detail-heading">
        <span>{a.email ?? a.phone}</span> <StatusBadge status={a.status} />
      </h2>
      <dl className="summary-list">
        <dt>{t("fields.email")}</dt>
        <dd>{a.email ?? none}</dd>
        <dt>{t("fields.phone")}</dt>
        <dd>{a.phone ?? none}</dd>
        <dt>{t("fields.memberships")}</dt>
        <dd>
          {a.memberships.length ? (
            <ul className="plain-list">
              {a.memberships.map((m) => (
                <li key={m.organization}>
                  <strong>{m.organization}</strong>: {m.roles.join(", ") || t("account.noRoles")}
                  <br />
                  <span className="hint">
                    {t("account.grantedAt", { date: m.grantedAt })}{" "}
                    {m.grantedBy ? (
                      <Link to={`/admin/stores/${encodeURIComponent(store)}/invitations/${m.grantedBy.invitationId}`}>
                        {t(`account.grantedBy.${m.grantedBy.kind}`)}
                      </Link>
                    ) : (
                      t("account.grantedBy.none")
                    )}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            t("invite.noOrganization")
          )}
        </dd>
        <dt>{t("fields.groups")}</dt>
        <dd>{a.groups.join(", ") || none}</dd>
        <dt>{t("fields.clients")}</dt>
        <dd>{a.clients.join(", ") || none}</dd>
        <dt>{t("fields.language")}</dt>
        <dd>{a.locale}</dd>
        {a.profile.map((p) => (
          <Fragment key={p.name}>
            <dt>
              <ProfileFieldLabel name={p.name} />
            </dt>
            <dd>{p.value}</dd>
          </Fragment>
        ))}
        <dt>{t("fields.created")}</dt>
        <dd>{a.created}</dd>
        <dt>{t("fields.activated")}</dt>
        <dd>{a.activated ?? none}</dd>
        <dt>{t("fields.id")}</dt>
        <dd>
          <code>{a.id}</code>
        </dd>
      </dl>
    </section>
  );
}
