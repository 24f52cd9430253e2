// Sign-in to the admin console with an admin token from the configuration. The token is posted
// once, checked, and only its hash is kept, in the console session's row (app/console/session.server.ts).
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AdminSession, chooseLanguage, safeNext, signIn } from "~/console/admin.server";
import { CsrfField, ErrorList } from "~/console/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/** Retry-After of a throttled attempt reaches the page's response. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const wait = actionHeaders.get("Retry-After");
  if (wait) headers.set("Retry-After", wait);
  return headers;
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await AdminSession.open(request, context.services);
  if (session.principal) throw redirect(safeNext(new URL(request.url).searchParams.get("next")));
  const t = context.services.i18n.t(await chooseLanguage(context, request), "admin");
  return { title: t("signIn.title") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const result = await signIn(request, context, form);
  if (result.ok) throw redirect(safeNext(new URL(request.url).searchParams.get("next")), { headers: result.headers });
  const status = result.error === "throttled" ? 429 : result.error === "csrf" ? 403 : 401;
  return data(
    { error: result.error, wait: result.wait },
    { status, headers: result.wait ? { "Retry-After": String(result.wait) } : undefined },
  );
}

export default function SignIn() {
  const result = useActionData<typeof action>();
  const { t } = useTranslation("admin");
  const [params] = useSearchParams();
  const next = params.get("next");
  const error = result?.error ? (`signIn.errors.${result.error}` as const) : undefined;
  return (
    <div className="card narrow">
      <h1>{t("signIn.title")}</h1>
      <p className="hint">{t("signIn.intro")}</p>
      {error ? (
        <div className="error-summary" role="alert" aria-labelledby="sign-in-error-title">
          <h2 id="sign-in-error-title">{t("signIn.errorTitle")}</h2>
          <p>{t(error, { seconds: result?.wait })}</p>
        </div>
      ) : null}
      <Form method="post" action={next ? `/admin/sign-in?next=${encodeURIComponent(next)}` : "/admin/sign-in"}>
        <CsrfField />
        <div className="field">
          <label htmlFor="token">{t("signIn.token")}</label>
          <p className="hint" id="token-hint">
            {t("signIn.tokenHint")}
          </p>
          <input
            id="token"
            name="token"
            type="password"
            required
            maxLength={1024}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={error === "signIn.errors.invalidToken" ? "token-hint token-error" : "token-hint"}
            aria-invalid={error === "signIn.errors.invalidToken" || undefined}
          />
          {error === "signIn.errors.invalidToken" ? <ErrorList id="token-error" errors={["signIn.errors.invalidTokenShort"]} /> : null}
        </div>
        <button type="submit" className="button">
          {t("signIn.submit")}
        </button>
      </Form>
    </div>
  );
}
