// The pages of a join invitation: the landing page (what joining grants, one button), the
// confirmation form (the account's current password, the terms when the client asks for them) and
// the page a locked invitation shows. Plain forms: all of it works without JavaScript.
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { joinConstraint, joinSchema, parseJoin } from "~/journey/join-form";
import type { JoinFormData, JoinLandingData, JoinLockedData } from "~/journey/pages";
import { ENHANCE_DATA_ID, type EnhanceData } from "~/journey/enhance/contract";
import { errorKey, scriptWords } from "~/journey/words";
import { PageScript } from "./PageScript";
import type { JoinGrants } from "../../../server/invitations/join";
import { AgreementFields } from "./Agreement";
import { ErrorSummary, Field, type SummaryItem } from "~/components/forms";
import { JourneyLayout, usePortalParams } from "./JourneyLayout";

/** What joining grants: the organization, its roles, and the groups (the invitation's and the application's). */
function GrantsList({ grants, id }: { grants: JoinGrants; id: string }) {
  const { t } = useTranslation("journey");
  const none = t("join.none");
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{t("join.grantsTitle")}</h2>
      <dl className="grants">
        {grants.organization ? (
          <>
            <dt>{t("join.organization")}</dt>
            <dd>{grants.organization}</dd>
            <dt>{t("join.roles")}</dt>
            <dd>{grants.roles.join(", ") || none}</dd>
          </>
        ) : null}
        <dt>{t("join.groups")}</dt>
        <dd>{grants.groups.join(", ") || none}</dd>
      </dl>
    </section>
  );
}

export function JoinLandingView({ page, formError }: { page: JoinLandingData; formError?: "csrf" }) {
  const { t } = useTranslation("journey");
  const keep = usePortalParams();
  const vars = { brand: page.brand.name, target: page.target };
  return (
    <JourneyLayout brand={page.brand} i18n={page.i18n} keep={keep}>
      <h1>{page.title}</h1>
      <p>{page.name ? t("landing.greeting", { name: page.name }) : t("landing.greetingNoName")}</p>
      <p>{t("join.intro", vars)}</p>
      <GrantsList grants={page.grants} id="grants-title" />
      <p className="hint">{t("landing.expiry", { validUntil: page.validUntil })}</p>
      {formError ? (
        <p className="notice error" role="alert">
          {t("join.sessionExpired")}
        </p>
      ) : null}
      <Form method="post" className="actions">
        <input type="hidden" name="csrf" value={page.csrf} />
        <button type="submit" className="button">
          {t("join.action")}
        </button>
      </Form>
    </JourneyLayout>
  );
}

function ForgotPassword({ href }: { href: string | null }) {
  const { t } = useTranslation("journey");
  return href ? (
    <p>
      <a href={href}>{t("join.forgotPassword")}</a>
    </p>
  ) : null;
}

export function JoinForm({
  page,
  lastResult,
  remaining,
  minutes,
}: {
  page: JoinFormData;
  lastResult?: SubmissionResult<string[]> | null;
  /** After a wrong password: tries left before the invitation locks, and for how long it then locks. */
  remaining?: number;
  minutes?: number;
}) {
  const { t } = useTranslation("journey");
  const { config } = page;
  const schema = useMemo(() => joinSchema(config), [config]);
  const constraint = useMemo(() => joinConstraint(config), [config]);
  const [form, fields] = useForm({
    id: "join",
    lastResult,
    constraint,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseJoin(formData, schema),
  });
  const vars = { brand: page.brand.name, target: page.target };
  const messages = (codes?: string[]) => codes?.map((code) => t(errorKey(code), { ...vars, max: config.passwordMax, remaining, minutes }));
  const labelOf: Record<string, string> = {
    password: t("join.password"),
    acceptTerms: t("footer.terms"),
    acceptPrivacy: t("footer.privacy"),
  };
  const summary: SummaryItem[] = ["password", "acceptTerms", "acceptPrivacy"].flatMap((name) => {
    const field = fields[name];
    return (messages(field?.errors) ?? []).map((message) => ({
      id: field!.id,
      text: t("errors.summaryItem", { label: labelOf[name], message }),
    }));
  });

  // In the browser, app/journey/enhance/form.ts checks each field as it is left, with the same
  // schema, and brings the summary of a refused form into view, naming it in the title. A wrong
  // password is typed again from scratch: the server never sends it back.
  const script: EnhanceData = {
    form: "join",
    formId: form.id,
    config,
    ...scriptWords(t),
    labels: labelOf,
    max: { password: config.passwordMax },
    min: 1,
    errorTitle: t("activate.errorTitle", { title: page.title }),
    submitting: t("join.submitting"),
    validateOn: "blur",
  };
  return (
    <>
      <h1>{page.title}</h1>
      <p>{t("join.confirmIntro", vars)}</p>
      {form.status === "error" ? (
        <ErrorSummary
          title={t("errors.summaryTitle")}
          intro={t("errors.summaryIntro")}
          items={summary}
          formErrors={messages(form.errors)}
        />
      ) : null}
      <GrantsList grants={page.grants} id="grants-title" />
      <Form method="post" {...getFormProps(form)} noValidate>
        <input type="hidden" name="csrf" value={page.csrf} />
        <h2>{t("join.accountSection")}</h2>
        <Field
          label={t("activate.identifierEmail")}
          hint={t("join.identifierHint")}
          inputProps={{ id: "identifier", type: "email", value: page.identifier, readOnly: true, autoComplete: "username" }}
        />
        <Field
          label={t("join.password")}
          hint={t("join.passwordHint", vars)}
          inputProps={{ ...getInputProps(fields.password!, { type: "password" }), autoComplete: "current-password" }}
          errors={messages(fields.password?.errors)}
        />
        <ForgotPassword href={page.passwordResetUrl} />
        {config.requireTerms ? (
          <>
            <AgreementFields
              brand={page.brand}
              terms={{ inputProps: getInputProps(fields.acceptTerms!, { type: "checkbox" }), errors: messages(fields.acceptTerms?.errors) }}
              privacy={{
                inputProps: getInputProps(fields.acceptPrivacy!, { type: "checkbox" }),
                errors: messages(fields.acceptPrivacy?.errors),
              }}
            />
          </>
        ) : null}
        <div className="actions">
          <button type="submit" className="button block">
            {t("join.submit", vars)}
          </button>
        </div>
      </Form>
      <PageScript name="form" dataId={ENHANCE_DATA_ID} data={script} />
    </>
  );
}

export function JoinLockedView({ page }: { page: JoinLockedData }) {
  const { t } = useTranslation("journey");
  return (
    <JourneyLayout brand={page.brand} i18n={page.i18n}>
      <h1>{page.title}</h1>
      <p role="status">{t("join.lockedBody", { until: page.until, minutes: page.minutes })}</p>
      <p>{t("join.lockedAccount", { brand: page.brand.name })}</p>
      <p>{t("join.lockedLater")}</p>
      <ForgotPassword href={page.passwordResetUrl} />
    </JourneyLayout>
  );
}
