// "Invite customer": email, language, how long the link is valid, organization or "No
// organization", the clients that fit that choice (OAuth2 only) and their return addresses, role,
// groups and personal information. Works without JavaScript: "Update the lists" re-renders the form
// for the chosen organization, and the return addresses of every listed client are offered (the
// service refuses one that is not the chosen client's); with JavaScript the lists follow the
// choices at once and fields are checked as they are filled in. The server side is
// app/console/invite.server.ts.
import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useHydrated } from "~/hooks/use-hydrated";
import { useTranslation } from "react-i18next";
import { inviteFormData, submitInvite } from "~/console/invite.server";
import { inviteConstraint, parseInviteForm, PERSONAL_FIELDS, type InviteForm } from "~/console/invite-schema";
import { runtimeKey } from "~/i18n-keys";
import { CsrfField, ErrorList, SelectField, TextField } from "~/console/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return inviteFormData(request, context, params.store);
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  return submitInvite(request, context, params.store);
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : []);

export default function InviteCustomer() {
  const { store, defaultLanguage, languages, organizations, clients, groups, validity } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("admin");
  const hydrated = useHydrated();
  const [form, fields] = useForm<InviteForm>({
    id: "invite",
    lastResult: actionData?.result,
    constraint: inviteConstraint,
    defaultValue: { language: defaultLanguage, organization: "", expiresInHours: String(validity.defaultHours) },
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseInviteForm(formData),
  });

  // The lists follow the organization select. Read from the DOM once hydrated too: a choice made
  // before hydration is not an event React saw.
  const [organization, setOrganization] = useState(String(fields.organization.initialValue ?? ""));
  useEffect(() => {
    const select = document.getElementById(fields.organization.id);
    // Syncing with the DOM as the browser left it before hydration: an outside system to React.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (select instanceof HTMLSelectElement) setOrganization(select.value);
  }, [fields.organization.id]);
  const org = organizations.find((o) => o.id === organization);
  const shownClients = clients.filter((c) => c.organizational === !!org);
  const chosenClient = String(fields.clientId.initialValue ?? "");
  const [clientId, setClientId] = useState(chosenClient);
  useEffect(() => {
    const select = document.getElementById(fields.clientId.id);
    // As for the organization: a choice made before hydration.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (select instanceof HTMLSelectElement) setClientId(select.value);
  }, [fields.clientId.id]);
  // Before hydration every listed client's addresses are offered (the server checks the pair).
  const returnClients = hydrated ? shownClients.filter((c) => c.clientId === clientId) : shownClients;
  const returnOptions = returnClients.flatMap((c) =>
    c.redirectUris.map((uri) => ({ value: uri, label: hydrated ? uri : `${c.label} — ${uri}` })),
  );
  const chosenGroups = asList(fields.groups.initialValue);
  const base = `/admin/stores/${encodeURIComponent(store)}/invitations`;

  const labels: Record<string, string> = {
    email: t("fields.email"),
    language: t("fields.language"),
    expiresInHours: t("fields.validFor"),
    redirectUri: t("fields.redirectUri"),
    organization: t("fields.organization"),
    clientId: t("fields.client"),
    role: t("fields.role"),
    groups: t("fields.groups"),
    ...Object.fromEntries(PERSONAL_FIELDS.map((f) => [f, t(`fields.${f}`)])),
  };
  const summary = Object.entries(form.allErrors)
    .filter(([name, errors]) => labels[name] && errors.length)
    .map(([name, errors]) => ({ name, errors }));

  return (
    <section aria-labelledby="invite-heading" className="card">
      <h2 id="invite-heading">{t("invite.title")}</h2>
      {summary.length ? (
        <div className="error-summary" role="alert" aria-labelledby="invite-errors-title" tabIndex={-1}>
          <h3 id="invite-errors-title">{t("form.errorSummary")}</h3>
          <ul>
            {summary.map(({ name, errors }) => (
              <li key={name}>
                <a href={`#${name === "groups" ? "invite-groups" : fields[name as keyof InviteForm].id}`}>
                  {labels[name]}: {errors.map((e) => t(runtimeKey("admin", e))).join(" ")}
                </a>
              </li>
            ))}
          </ul>
          {actionData?.conflictingId ? (
            <p>
              <Link to={`${base}/${actionData.conflictingId}`}>{t("invite.openConflicting")}</Link>
            </p>
          ) : null}
        </div>
      ) : null}

      <Form method="post" {...getFormProps(form)}>
        <CsrfField />
        <fieldset>
          <legend>{t("invite.methodLegend")}</legend>
          <TextField
            id={fields.email.id}
            label={t("fields.email")}
            hint={t("invite.emailHint")}
            errors={fields.email.errors}
            inputProps={{
              key: fields.email.key,
              name: fields.email.name,
              type: "email",
              autoComplete: "off",
              required: true,
              maxLength: inviteConstraint.email.maxLength,
              defaultValue: String(fields.email.initialValue ?? ""),
            }}
          />
          <SelectField
            id={fields.language.id}
            label={t("fields.language")}
            hint={t("invite.languageHint")}
            errors={fields.language.errors}
            selectProps={{
              key: fields.language.key,
              name: fields.language.name,
              defaultValue: String(fields.language.initialValue ?? defaultLanguage),
            }}
            options={languages.map((l) => ({ value: l.code, label: `${l.name} (${l.code})`, lang: l.code }))}
          />
          <SelectField
            id={fields.expiresInHours.id}
            label={t("fields.validFor")}
            hint={t("invite.validForHint", { max: validity.max })}
            errors={fields.expiresInHours.errors}
            selectProps={{
              key: fields.expiresInHours.key,
              name: fields.expiresInHours.name,
              defaultValue: String(fields.expiresInHours.initialValue ?? validity.defaultHours),
            }}
            options={validity.choices.map((c) => ({ value: String(c.hours), label: c.label }))}
          />
        </fieldset>

        <fieldset>
          <legend>{t("invite.toLegend")}</legend>
          <SelectField
            id={fields.organization.id}
            label={t("fields.organization")}
            hint={t("invite.organizationHint")}
            errors={fields.organization.errors}
            selectProps={{
              key: fields.organization.key,
              name: fields.organization.name,
              defaultValue: organization,
              onChange: (event) => setOrganization(event.currentTarget.value),
            }}
            options={[{ value: "", label: t("invite.noOrganization") }, ...organizations.map((o) => ({ value: o.id, label: o.name }))]}
          >
            {hydrated ? null : (
              <button {...form.validate.getButtonProps({ name: fields.organization.name })} className="button secondary small">
                {t("invite.updateLists")}
              </button>
            )}
          </SelectField>
          <SelectField
            id={fields.clientId.id}
            label={t("fields.client")}
            hint={org ? t("invite.clientHintOrganization") : t("invite.clientHintNoOrganization")}
            errors={fields.clientId.errors}
            selectProps={{
              key: `client-${organization}-${fields.clientId.key ?? ""}`,
              name: fields.clientId.name,
              required: true,
              defaultValue: shownClients.some((c) => c.clientId === chosenClient) ? chosenClient : "",
              onChange: (event) => setClientId(event.currentTarget.value),
            }}
            options={[{ value: "", label: t("invite.chooseClient") }, ...shownClients.map((c) => ({ value: c.clientId, label: c.label }))]}
          />
          <SelectField
            id={fields.redirectUri.id}
            label={t("fields.redirectUri")}
            hint={t("invite.returnToHint")}
            errors={fields.redirectUri.errors}
            selectProps={{
              key: `return-${organization}-${hydrated ? clientId : ""}-${fields.redirectUri.key ?? ""}`,
              name: fields.redirectUri.name,
              defaultValue: returnOptions.some((o) => o.value === fields.redirectUri.initialValue)
                ? String(fields.redirectUri.initialValue)
                : "",
            }}
            options={[{ value: "", label: t("invite.returnDefault") }, ...returnOptions]}
          />
        </fieldset>

        <fieldset>
          <legend>{t("invite.assignLegend")}</legend>
          {org ? (
            <SelectField
              id={fields.role.id}
              label={t("fields.role")}
              errors={fields.role.errors}
              selectProps={{
                key: `role-${organization}-${fields.role.key ?? ""}`,
                name: fields.role.name,
                defaultValue: org.roles.some((r) => r.id === fields.role.initialValue) ? String(fields.role.initialValue) : "",
              }}
              options={[{ value: "", label: t("invite.noRole") }, ...org.roles.map((r) => ({ value: r.id, label: r.name }))]}
            />
          ) : (
            <div className="field">
              <p className="hint">{t("invite.rolesNeedOrganization")}</p>
              <ErrorList id={`${fields.role.id}-error`} errors={fields.role.errors} />
            </div>
          )}
          <fieldset
            className="checkbox-group"
            id="invite-groups"
            aria-describedby={fields.groups.errors?.length ? "invite-groups-hint invite-groups-error" : "invite-groups-hint"}
          >
            <legend>{t("fields.groups")}</legend>
            <p className="hint" id="invite-groups-hint">
              {t("invite.groupsHint")}
            </p>
            {groups.length === 0 ? <p className="hint">{t("invite.noGroups")}</p> : null}
            {groups.map((g) => (
              <div className="checkbox" key={`${g.id}-${fields.groups.key ?? ""}`}>
                <input
                  type="checkbox"
                  id={`invite-group-${g.id}`}
                  name={fields.groups.name}
                  value={g.id}
                  defaultChecked={chosenGroups.includes(g.id)}
                  aria-invalid={fields.groups.errors?.length ? true : undefined}
                />
                <label htmlFor={`invite-group-${g.id}`}>{g.name}</label>
              </div>
            ))}
            <ErrorList id="invite-groups-error" errors={fields.groups.errors} />
          </fieldset>
        </fieldset>

        <fieldset>
          <legend>{t("invite.personalLegend")}</legend>
          <p className="hint">{t("invite.personalHint")}</p>
          <div className="grid-2">
            {PERSONAL_FIELDS.map((name) => (
              <TextField
                key={name}
                id={fields[name].id}
                label={t(`fields.${name}`)}
                optional
                errors={fields[name].errors}
                inputProps={{
                  key: fields[name].key,
                  name: fields[name].name,
                  type: "text",
                  maxLength: inviteConstraint[name].maxLength,
                  autoComplete: "off",
                  defaultValue: String(fields[name].initialValue ?? ""),
                }}
              />
            ))}
          </div>
        </fieldset>

        <div className="form-actions">
          <button type="submit" className="button">
            {t("invite.submit")}
          </button>
          <Link to={base} className="button secondary">
            {t("form.cancel")}
          </Link>
        </div>
      </Form>
    </section>
  );
}
