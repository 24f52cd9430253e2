// Invite customer on the server (docs/admin-api.md, the console): what the form offers (languages,
// organizations, the clients that fit and their return addresses, the "Valid for" choices) and
// the submission, checked with the form's schema and then by the invitation service, which records
// the signed-in administrator as its author.
import { data, redirect, type AppLoadContext } from "@remix-run/node";
import { chooseLanguage, createAdminInvitation, invitableClients, requireAdmin, requireAdminPost } from "./admin.server";
import { formFieldOf, LANGUAGE, parseInviteForm, PERSONAL_FIELDS } from "./invite-schema";
import { validityChoices } from "./validity.server";

export async function inviteFormData(request: Request, context: AppLoadContext, storeName: string | undefined) {
  const { principal } = await requireAdmin(request, context);
  const s = context.services;
  const store = s.tenant.store(storeName ?? "");
  if (!store) throw data({ formError: null }, { status: 404 });
  if (!principal.scopes.includes("write:account")) throw data({ formError: "scope" }, { status: 403 });
  const lng = await chooseLanguage(context, request);
  const t = s.i18n.t(lng, "admin");
  const languageName = (code: string) => s.i18n.t(code, "common")("languageName");
  const client = (organizational: boolean) =>
    invitableClients(s.tenant, store.name, organizational).map((c) => ({
      clientId: c.client.clientId,
      label: `${c.application.name} (${c.client.clientId})`,
      organizational,
      redirectUris: c.client.redirectUris,
    }));
  return {
    title: t("invite.title"),
    store: store.name,
    defaultLanguage: LANGUAGE.test(store.defaultLocale) ? store.defaultLocale : "en-US",
    languages: s.i18n.languages.filter((code) => LANGUAGE.test(code)).map((code) => ({ code, name: languageName(code) })),
    organizations: store.organizations.map((o) => ({ id: o.id, name: o.name, roles: o.roles })),
    clients: [...client(false), ...client(true)],
    groups: store.groups,
    validity: validityChoices(store, t),
  };
}

export async function submitInvite(request: Request, context: AppLoadContext, storeName: string | undefined) {
  const { form, principal } = await requireAdminPost(request, context, "write:account");
  const s = context.services;
  const store = s.tenant.store(storeName ?? "");
  if (!store) throw data({ formError: null }, { status: 404 });
  const submission = parseInviteForm(form);
  if (submission.status !== "success")
    return data({ result: submission.reply(), conflictingId: null }, { status: submission.status === "error" ? 400 : 200 });
  const v = submission.value;
  const metadata: Record<string, string> = {};
  for (const name of PERSONAL_FIELDS) if (v[name]) metadata[name] = v[name]!;
  const outcome = await createAdminInvitation(
    s,
    store.name,
    {
      clientId: v.clientId,
      email: v.email.toLowerCase(),
      language: v.language,
      organization: v.organization || null,
      roles: v.role ? [{ id: v.role, organization: v.organization || null }] : [],
      groups: (v.groups ?? []).map((id) => ({ id })),
      metadata,
      sendEmail: true,
      ...(v.expiresInHours ? { expiresInHours: Number(v.expiresInHours) } : {}),
      ...(v.redirectUri ? { redirectUri: v.redirectUri } : {}),
    },
    { type: "console", name: principal.name },
  );
  const base = `/admin/stores/${encodeURIComponent(store.name)}/invitations`;
  switch (outcome.kind) {
    case "created":
      return redirect(`${base}/${outcome.invitation.id}?notice=created`);
    case "unknown-store":
      throw data({ formError: null }, { status: 404 });
    case "rules": {
      const fieldErrors: Record<string, string[]> = {};
      for (const violation of outcome.violations) {
        const field = formFieldOf(violation.field) || "clientId";
        (fieldErrors[field] ??= []).push(`rules.${violation.code}`);
      }
      return data({ result: submission.reply({ fieldErrors }), conflictingId: null }, { status: 400 });
    }
    case "pending-exists":
      return data(
        { result: submission.reply({ fieldErrors: { email: ["rules.pendingExists"] } }), conflictingId: outcome.conflictingId },
        { status: 409 },
      );
    case "account-exists":
      return data({ result: submission.reply({ fieldErrors: { email: ["rules.accountExists"] } }), conflictingId: null }, { status: 409 });
  }
}
