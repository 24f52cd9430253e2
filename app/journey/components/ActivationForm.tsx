// The activation screen's form (docs/journey.md): the identifier (read-only unless the application
// allows another email), the profile for review, the password with its policy stated up front,
// and the terms and privacy acceptance. Rendered by the server only (the page does not hydrate):
// conform renders the server's verdict, and the page's script (app/journey/enhance/form.ts) runs
// the shared schema in the browser; either way errors sit next to their field and in a summary at
// the top, which takes focus.
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { activationConstraint, activationSchema, editsEmail, parseActivation, PROFILE_FIELDS } from "~/journey/activation-form";
import { EMAIL_MAX, TEXT_MAX } from "../../../server/lib/validation";
import type { FormPageData } from "~/journey/pages";
import { ENHANCE_DATA_ID, type EnhanceData } from "~/journey/enhance/contract";
import { errorKey, scriptWords } from "~/journey/words";
import { PageScript } from "./PageScript";
import { AgreementFields } from "./Agreement";
import { ErrorSummary, Field, PasswordField, type SummaryItem } from "~/components/forms";

export function ActivationForm({ page, lastResult }: { page: FormPageData; lastResult?: SubmissionResult<string[]> | null }) {
  const { t } = useTranslation("journey");
  const { config, defaults } = page;
  const schema = useMemo(() => activationSchema(config), [config]);
  const constraint = useMemo(() => activationConstraint(config), [config]);
  const [form, fields] = useForm({
    id: "activate",
    lastResult,
    defaultValue: defaults,
    constraint,
    // Errors appear when the invitee asks to go on, never as they leave a field: an error inserted
    // when the field loses focus to a press on the button moves the button before the release, and
    // the click is lost. Once flagged, a field is checked again as it is corrected.
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseActivation(formData, schema),
  });

  const { minLength, maxLength } = config.password;
  const maxOf = (name: string) => (name === "password" ? maxLength : name === "email" ? EMAIL_MAX : TEXT_MAX);
  const messages = (name: string, codes?: string[]) =>
    codes?.map((code) => t(errorKey(code), { min: minLength, max: maxOf(name), brand: page.brand.name }));

  const labelOf: Record<string, string> = {
    email: t("activate.identifierEmail"),
    password: t("activate.password"),
    acceptTerms: t("footer.terms"),
    acceptPrivacy: t("footer.privacy"),
  };
  for (const { name } of config.fields) labelOf[name] = t(`fields.${name}`);

  const order = [...(editsEmail(config) ? ["email"] : []), ...config.fields.map((f) => f.name), "password", "acceptTerms", "acceptPrivacy"];
  const summary: SummaryItem[] = order.flatMap((name) => {
    const field = fields[name];
    return (messages(name, field?.errors) ?? []).map((message) => ({
      id: field!.id,
      text: t("errors.summaryItem", { label: labelOf[name], message }),
    }));
  });
  const formErrors = messages("", form.errors);

  // In the browser, app/journey/enhance/form.ts checks the form with the same schema, and moves
  // the focus to the summary of each refused submission (the server's as well), naming it in the title.
  const script: EnhanceData = {
    form: "activation",
    formId: form.id,
    config,
    ...scriptWords(t),
    labels: labelOf,
    max: Object.fromEntries(order.map((name) => [name, maxOf(name)])),
    min: minLength,
    errorTitle: t("activate.errorTitle", { title: page.title }),
    submitting: t("activate.submitting"),
    validateOn: "submit",
    toggle: {
      show: t("activate.passwordShow"),
      hide: t("activate.passwordHide"),
      showLabel: t("activate.passwordShowLabel"),
      hideLabel: t("activate.passwordHideLabel"),
      shown: t("activate.passwordShown"),
      hidden: t("activate.passwordHidden"),
    },
  };
  const { identifier } = config;
  const identifierLabel = identifier.kind === "email" ? t("activate.identifierEmail") : t("activate.identifierPhone");
  const optional = t("activate.optional");

  return (
    <>
      <h1>{page.title}</h1>
      <p>{t("activate.intro")}</p>
      {/* Shown while the last submission stands refused; correcting a field hides it. */}
      {form.status === "error" ? (
        <ErrorSummary title={t("errors.summaryTitle")} intro={t("errors.summaryIntro")} items={summary} formErrors={formErrors} />
      ) : null}
      <p className="hint">{t("activate.requiredNote")}</p>
      <Form method="post" {...getFormProps(form)} noValidate>
        <input type="hidden" name="csrf" value={page.csrf} />

        <h2>{t("activate.signInSection")}</h2>
        {editsEmail(config) ? (
          <Field
            label={identifierLabel}
            hint={t("activate.identifierEditable")}
            inputProps={{ ...getInputProps(fields.email!, { type: "email" }), autoComplete: "email" }}
            errors={messages("email", fields.email?.errors)}
          />
        ) : (
          <Field
            label={identifierLabel}
            hint={identifier.kind === "email" ? t("activate.identifierLocked") : t("activate.identifierLockedPhone")}
            inputProps={{
              id: "identifier",
              type: identifier.kind === "email" ? "email" : "tel",
              value: identifier.value,
              readOnly: true,
              autoComplete: "username",
            }}
          />
        )}

        {config.fields.length ? <h2>{t("activate.profileSection")}</h2> : null}
        <div className="grid-2">
          {config.fields.map(({ name, required }) => {
            const meta = PROFILE_FIELDS[name];
            const field = fields[name]!;
            return (
              <Field
                key={name}
                className={name.startsWith("address") ? "span-all" : undefined}
                label={t(`fields.${name}`)}
                labelNote={required ? undefined : optional}
                hint={name === "mobileNumber" ? t("fields.mobileNumberHint") : undefined}
                inputProps={{ ...getInputProps(field, { type: meta.type }), autoComplete: meta.autoComplete }}
                errors={messages(name, field.errors)}
              />
            );
          })}
        </div>

        <h2>{t("activate.passwordSection")}</h2>
        <PasswordField
          label={t("activate.password")}
          hint={t("activate.passwordPolicy", { min: minLength })}
          inputProps={{ ...getInputProps(fields.password!, { type: "password" }), autoComplete: "new-password" }}
          errors={messages("password", fields.password?.errors)}
        />

        <AgreementFields
          brand={page.brand}
          terms={{
            inputProps: getInputProps(fields.acceptTerms!, { type: "checkbox" }),
            errors: messages("acceptTerms", fields.acceptTerms?.errors),
          }}
          privacy={{
            inputProps: getInputProps(fields.acceptPrivacy!, { type: "checkbox" }),
            errors: messages("acceptPrivacy", fields.acceptPrivacy?.errors),
          }}
        />

        <div className="actions">
          <button type="submit" className="button block">
            {t("activate.submit")}
          </button>
        </div>
      </Form>
      <PageScript name="form" dataId={ENHANCE_DATA_ID} data={script} />
    </>
  );
}
