// Small pieces every console page uses: the CSRF field, status badges, notices, the pager, and
// form fields whose label, hint and errors are tied together (aria-describedby, aria-invalid).
// Error messages arrive as admin.json keys and are translated here.
import { useRouteLoaderData } from "@remix-run/react";
import type { ReactNode, SelectHTMLAttributes, InputHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { describedBy, ErrorList as SharedErrorList, Field } from "~/components/forms";
import { runtimeKey } from "~/i18n-keys";
import { isProfileField } from "~/journey/activation-form";

export type Errors = (string | null | undefined)[] | null | undefined;

/** The session's CSRF token, from the console layout's loader. */
export function CsrfField() {
  const layout = useRouteLoaderData<{ csrf: string }>("routes/admin");
  return <input type="hidden" name="csrf" value={layout?.csrf ?? ""} />;
}

export function StatusBadge({ status }: { status: "pending" | "done" | "expired" | "active" }) {
  const { t } = useTranslation("admin");
  return <span className={`badge ${status === "active" ? "done" : status}`}>{t(`status.${status}`)}</span>;
}

/** On an invitation whose latest message was given up on (delivery "abandoned"). */
export function NotDeliveredBadge() {
  const { t } = useTranslation("admin");
  return <span className="badge expired">{t("invitations.delivery.abandoned")}</span>;
}

export function Notice({ children, tone = "info" }: { children: ReactNode; tone?: "info" | "success" }) {
  return (
    <div className={`notice${tone === "success" ? " success" : ""} admin-notice`} role="status">
      {children}
    </div>
  );
}

/** The shared ErrorList, with the console's error keys translated. */
export function ErrorList({ id, errors }: { id?: string; errors?: Errors }) {
  const { t } = useTranslation("admin");
  return <SharedErrorList id={id} errors={errors?.map((e) => e && t(runtimeKey("admin", e)))} />;
}

interface FieldProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  optional?: boolean;
  errors?: Errors;
}

/** The shared Field, with "(optional)" and the console's error keys translated. */
export function TextField({
  id,
  label,
  hint,
  optional,
  errors,
  inputProps,
}: FieldProps & { inputProps: InputHTMLAttributes<HTMLInputElement> & { key?: string } }) {
  const { t } = useTranslation("admin");
  return (
    <Field
      label={label}
      hint={hint}
      labelNote={optional ? t("form.optional") : undefined}
      inputProps={{ ...inputProps, id }}
      errors={errors?.map((e) => e && t(runtimeKey("admin", e)))}
    />
  );
}

export function SelectField({
  id,
  label,
  hint,
  errors,
  selectProps,
  options,
  children,
}: FieldProps & {
  selectProps: SelectHTMLAttributes<HTMLSelectElement> & { key?: string };
  options: { value: string; label: string; lang?: string }[];
  children?: ReactNode;
}) {
  const { key, ...rest } = selectProps;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <select
        key={key}
        {...rest}
        id={id}
        aria-invalid={errors?.some(Boolean) || undefined}
        aria-describedby={describedBy(id, hint, errors)}
      >
        {options.map((o, i) => (
          <option key={`${i}:${o.value}`} value={o.value} lang={o.lang}>
            {o.label}
          </option>
        ))}
      </select>
      {children}
      <ErrorList id={`${id}-error`} errors={errors} />
    </div>
  );
}

/** Previous / next links that keep the page's other query parameters. */
export function Pager({ page, pages, query, label }: { page: number; pages: number; query: Record<string, string>; label: string }) {
  const { t } = useTranslation("admin");
  if (pages <= 1) return null;
  const href = (p: number) => `?${new URLSearchParams({ ...query, page: String(p) }).toString()}`;
  return (
    <nav className="pager" aria-label={label}>
      {page > 1 ? (
        <a href={href(page - 1)} rel="prev">
          {t("pager.previous")}
        </a>
      ) : null}
      <span>{t("pager.position", { page, pages })}</span>
      {page < pages ? (
        <a href={href(page + 1)} rel="next">
          {t("pager.next")}
        </a>
      ) : null}
    </nav>
  );
}

/** A profile field's label (admin:fields.<name>), or its name for a field the console has no words for. */
export function ProfileFieldLabel({ name }: { name: string }) {
  const { t } = useTranslation("admin");
  return <>{isProfileField(name) ? t(`fields.${name}`) : name}</>;
}
