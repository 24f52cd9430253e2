// Form pieces in epic-stack's manner: every input has its label, its hint and its errors tied to it
// with aria-describedby, and aria-invalid when it has errors; an error summary at the top links to
// each field. They take conform's native attributes, so they work without JavaScript.
import type { InputHTMLAttributes, MouseEvent, ReactNode } from "react";

export type ListOfErrors = (string | null | undefined)[] | null | undefined;

export function ErrorList({ id, errors }: { id?: string; errors?: ListOfErrors }) {
  const shown = errors?.filter(Boolean);
  if (!shown?.length) return null;
  return (
    <ul id={id} className="field-errors">
      {shown.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  );
}

export interface FieldProps {
  label: ReactNode;
  hint?: ReactNode;
  /** Shown after the label, e.g. "(optional)". */
  labelNote?: ReactNode;
  inputProps: InputHTMLAttributes<HTMLInputElement> & { id: string; key?: string };
  errors?: ListOfErrors;
  className?: string;
}

export function describedBy(id: string, hint: unknown, errors: ListOfErrors) {
  const ids = [hint ? `${id}-hint` : null, errors?.some(Boolean) ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

export function Field({ label, hint, labelNote, inputProps, errors, className }: FieldProps) {
  const { id, key, ...rest } = inputProps;
  const invalid = errors?.some(Boolean);
  return (
    <div className={`field${className ? ` ${className}` : ""}`}>
      <label htmlFor={id}>
        {label}
        {labelNote ? <span className="label-note"> ({labelNote})</span> : null}
      </label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <input key={key} id={id} {...rest} aria-invalid={invalid || undefined} aria-describedby={describedBy(id, hint, errors)} />
      <ErrorList id={`${id}-error`} errors={errors} />
    </div>
  );
}

/**
 * A password input in GOV.UK's manner: paste allowed, no spellcheck or capitals. Its Show/Hide
 * button exists only when the page's script runs (app/journey/enhance/form.ts): the page without
 * JavaScript has a plain password input.
 */
export function PasswordField({ inputProps, ...field }: FieldProps) {
  return <Field {...field} inputProps={{ ...inputProps, type: "password", spellCheck: false, autoCapitalize: "none" }} />;
}

export function CheckboxField({ label, inputProps, errors }: Omit<FieldProps, "hint" | "labelNote">) {
  const { id, key, ...rest } = inputProps;
  const invalid = errors?.some(Boolean);
  return (
    <div className="checkbox-field">
      <div className="checkbox">
        <input
          key={key}
          id={id}
          {...rest}
          type="checkbox"
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy(id, null, errors)}
        />
        <label htmlFor={id}>{label}</label>
      </div>
      <ErrorList id={`${id}-error`} errors={errors} />
    </div>
  );
}

export interface SummaryItem {
  /** The id of the field the message is about. */
  id: string;
  /** The field's label and the message, as the language writes them together. */
  text: string;
}

/**
 * A summary link moves the focus to its field (a fragment link alone only scrolls), with the
 * field's label in view above it.
 */
function focusField(event: MouseEvent<HTMLAnchorElement>) {
  const field = document.getElementById(event.currentTarget.hash.slice(1));
  if (!field) return;
  event.preventDefault();
  const label = document.querySelector(`label[for="${CSS.escape(field.id)}"]`);
  (label ?? field).scrollIntoView({ block: "start" });
  field.focus({ preventScroll: true });
}

/** The errors of the whole form, first on the page; each links to its field. */
export function ErrorSummary({
  title,
  intro,
  items,
  formErrors,
  id = "error-summary",
}: {
  title: string;
  intro?: string;
  items: SummaryItem[];
  formErrors?: string[];
  id?: string;
}) {
  if (!items.length && !formErrors?.length) return null;
  // autoFocus: the page the server answers a refused form with starts on the summary, JavaScript or not.
  return (
    // eslint-disable-next-line jsx-a11y/no-autofocus -- GOV.UK's error summary: a refused form opens on it
    <div className="error-summary" id={id} role="alert" aria-labelledby={`${id}-title`} tabIndex={-1} autoFocus>
      <h2 id={`${id}-title`}>{title}</h2>
      {formErrors?.map((e) => (
        <p key={e}>{e}</p>
      ))}
      {items.length ? (
        <>
          {intro ? <p>{intro}</p> : null}
          <ul>
            {items.map((item) => (
              <li key={`${item.id}:${item.text}`}>
                <a href={`#${item.id}`} onClick={focusField}>
                  {item.text}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

/** A link that opens in a new tab and says so to screen readers. */
export function NewTabLink({ href, note, children }: { href: string; note: string; children?: ReactNode }) {
  return (
    <a href={href} target="_blank" rel="noreferrer">
      {children}
      <span className="visually-hidden"> {note}</span>
    </a>
  );
}
