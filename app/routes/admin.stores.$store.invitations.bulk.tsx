// "Invite from a CSV file" (bulk invitations): upload a CSV of invitees, each row invited on its own with
// the rules of Invite customer, then one result per row and the totals. A plain multipart form, so
// it works without JavaScript: the result page comes back once every row has been handled; with
// JavaScript the page says it is working meanwhile. Columns, limits and the example file are on
// the page (and in docs/admin-api.md). The result page's "Download results as CSV" posts its rows
// back to …/bulk/results.csv.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BULK_MAX_ROWS, CSV_COLUMNS, inviteFromCsvUpload, REQUIRED_CSV_COLUMNS } from "~/console/bulk.server";
import { chooseLanguage, requireAdmin } from "~/console/admin.server";
import { LANGUAGE } from "~/console/invite-schema";
import { runtimeKey } from "~/i18n-keys";
import { CsrfField } from "~/console/components/ui";
import { ErrorList } from "~/components/forms";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/** The example file, in public/. */
export const EXAMPLE_CSV = "/examples/bulk-invitations.csv";

async function storeFor(request: Request, context: LoaderFunctionArgs["context"], name: string | undefined) {
  const { principal } = await requireAdmin(request, context);
  const store = context.services.tenant.store(name ?? "");
  if (!store) throw data({ formError: null }, { status: 404 });
  if (!principal.scopes.includes("write:account")) throw data({ formError: "scope" }, { status: 403 });
  return { name: store.name, defaultLanguage: LANGUAGE.test(store.defaultLocale) ? store.defaultLocale : "en-US" };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const store = await storeFor(request, context, params.store);
  const t = context.services.i18n.t(await chooseLanguage(context, request), "admin");
  return {
    title: t("bulk.title"),
    store: store.name,
    defaultLanguage: store.defaultLanguage,
    columns: [...CSV_COLUMNS],
    required: [...REQUIRED_CSV_COLUMNS] as string[],
    maxRows: BULK_MAX_ROWS,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const store = await storeFor(request, context, params.store);
  const result = await inviteFromCsvUpload(request, context, store);
  if (!result.ok) return data({ error: result.error, view: null }, { status: result.error.key === "tooLarge" ? 413 : 400 });
  return { error: null, view: result.view };
}

export default function BulkInvite() {
  const { store, defaultLanguage, columns, required, maxRows } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation("admin");
  const base = `/admin/stores/${encodeURIComponent(store)}/invitations`;
  const submitting = navigation.state === "submitting";
  const view = actionData?.view;
  const error = actionData?.error;

  if (view) {
    return (
      <section aria-labelledby="bulk-results-heading">
        <h2 id="bulk-results-heading">{t("bulk.resultsTitle")}</h2>
        <p className="notice admin-notice" role="status">
          {t("bulk.summary", {
            total: view.rows.length,
            seconds: new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 }).format(view.seconds),
            created: view.created,
            failed: view.failed,
          })}
        </p>
        <div className="table-wrap">
          <table>
            <caption>{t("bulk.resultsCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("bulk.row")}</th>
                <th scope="col">{t("fields.email")}</th>
                <th scope="col">{t("bulk.result")}</th>
              </tr>
            </thead>
            <tbody>
              {view.rows.map((r) => (
                <tr key={r.row}>
                  <td>{r.row}</td>
                  <td>{r.invitationId ? <Link to={`${base}/${r.invitationId}`}>{r.email}</Link> : r.email}</td>
                  <td>
                    {r.created ? (
                      <span className="badge done">{t("bulk.created")}</span>
                    ) : (
                      <>
                        <span className="badge expired">{t("bulk.notCreated")}</span>
                        <ul className="bulk-reasons">
                          {r.reasons.map((reason) => (
                            <li key={`${reason.column}:${reason.key}`}>
                              {reason.column ? <code>{reason.column}</code> : null}
                              {reason.column ? ": " : null}
                              {t(runtimeKey("admin", reason.key))}
                            </li>
                          ))}
                        </ul>
                        {r.conflictingId ? <Link to={`${base}/${r.conflictingId}`}>{t("bulk.openConflicting")}</Link> : null}
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <form method="post" action={`${base}/bulk/results.csv`} encType="multipart/form-data" className="form-actions">
          <CsrfField />
          <input type="hidden" name="results" value={JSON.stringify(view.rows)} />
          <button type="submit" className="button secondary">
            {t("bulk.downloadResults")}
          </button>
        </form>
        <div className="form-actions">
          <a href={`${base}/bulk`} className="button">
            {t("bulk.another")}
          </a>
          <Link to={base} className="button secondary">
            {t("bulk.back")}
          </Link>
        </div>
      </section>
    );
  }

  const fileError = error ? t(`bulk.fileErrors.${error.key}`, error.values) : null;
  return (
    <section aria-labelledby="bulk-heading" className="card">
      <h2 id="bulk-heading">{t("bulk.title")}</h2>
      {error ? (
        <div className="error-summary" role="alert" aria-labelledby="bulk-errors-title" tabIndex={-1}>
          <h3 id="bulk-errors-title">{t("bulk.errorTitle")}</h3>
          <ul>
            <li>
              <a href="#bulk-file">{fileError}</a>
            </li>
          </ul>
        </div>
      ) : null}
      <p>{t("bulk.intro")}</p>
      <p>{t("bulk.limits", { max: maxRows })}</p>

      <Form method="post" encType="multipart/form-data">
        <CsrfField />
        <div className="field">
          <label htmlFor="bulk-file">{t("bulk.file")}</label>
          <p className="hint" id="bulk-file-hint">
            {t("bulk.fileHint")}
          </p>
          <input
            id="bulk-file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            required
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "bulk-file-hint bulk-file-error" : "bulk-file-hint"}
          />
          <ErrorList id="bulk-file-error" errors={[fileError]} />
        </div>
        <p className="hint">{t("bulk.timing", { max: maxRows })}</p>
        <div className="form-actions">
          <button type="submit" className="button" disabled={submitting}>
            {t("bulk.submit")}
          </button>
          <Link to={base} className="button secondary">
            {t("form.cancel")}
          </Link>
        </div>
        <p role="status" className="hint">
          {submitting ? t("bulk.submitting") : null}
        </p>
      </Form>

      <h3 id="bulk-columns-heading">{t("bulk.columnsTitle")}</h3>
      <p>
        <a href={EXAMPLE_CSV} download="bulk-invitations.csv">
          {t("bulk.example")}
        </a>
      </p>
      <div className="table-wrap">
        <table>
          <caption>{t("bulk.columnsCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("bulk.column")}</th>
              <th scope="col">{t("bulk.requirement")}</th>
              <th scope="col">{t("bulk.meaning")}</th>
            </tr>
          </thead>
          <tbody>
            {columns.map((c) => (
              <tr key={c}>
                <th scope="row">
                  <code>{c}</code>
                </th>
                <td>{required.includes(c) ? t("bulk.required") : t("bulk.optional")}</td>
                <td>{t(`bulk.columns.${c}`, { language: defaultLanguage })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
