// Form pieces in epic-stack's manner: every input has its label, its hint and its errors tied to it
// with aria-describedby, and aria-invalid when it has errors; an error summary at the top links to
// each field. They take conform's native attributes, so they work without JavaScript.
import { useEffect, useRef, useState, type InputHTMLAttributes, type MouseEvent, type ReactNode, type Ref } from "react";
import { useHydrated } from "~/hooks/use-hydrated";

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

interface FieldControls {
  inputRef?: Ref<HTMLInputElement>;
  /** Rendered beside the input (a button that acts on it). */
  beside?: ReactNode;
}

export function describedBy(id: string, hint: unknown, errors: ListOfErrors) {
  const ids = [hint ? `${id}-hint` : null, errors?.some(Boolean) ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

export function Field({ label, hint, labelNote, inputProps, errors, className, inputRef, beside }: FieldProps & FieldControls) {
  const { id, key, ...rest } = inputProps;
  const invalid = errors?.some(Boolean);
  const input = (
    <input
      key={key}
      ref={inputRef}
      id={id}
      {...rest}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy(id, hint, errors)}
    />
  );
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
      {beside ? (
        <div className="input-with-button">
          {input}
          {beside}
        </div>
      ) : (
        input
      )}
      <ErrorList id={`${id}-error`} errors={errors} />
    </div>
  );
}

/** The words of a password field's Show/Hide button, in the page's language. */
export interface PasswordToggleText {
  /** The button's visible text. */
  show: string;
  hide: string;
  /** Its accessible name, which starts with the visible text: "Show password". */
  showLabel: string;
  hideLabel: string;
  /** Announced after each press. */
  shown: string;
  hidden: string;
}

/**
 * A password input in GOV.UK's manner: paste allowed, no spellcheck or capitals, and a Show/Hide
 * button that only exists once JavaScript runs (the page without it has a plain password input).
 * The button says which way it works, controls the input, and its effect is announced. The password
 * is hidden again whenever the form is sent, so a browser never keeps it shown.
 */
export function PasswordField({ toggle, inputProps, ...field }: FieldProps & { toggle: PasswordToggleText }) {
  const enhanced = useHydrated();
  const [visible, setVisible] = useState(false);
  const [announced, setAnnounced] = useState("");
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const form = input.current?.form;
    if (!form) return;
    // A submit the person asked for; scripts' hidden submitters (conform validating a field) don't count.
    const onSubmit = (e: SubmitEvent) => {
      if (!(e.submitter as HTMLElement | null)?.hidden) setVisible(false);
    };
    form.addEventListener("submit", onSubmit);
    return () => form.removeEventListener("submit", onSubmit);
  }, []);
  const flip = () => {
    setVisible(!visible);
    setAnnounced(visible ? toggle.hidden : toggle.shown);
  };
  return (
    <Field
      {...field}
      inputRef={input}
      inputProps={{ ...inputProps, type: visible ? "text" : "password", spellCheck: false, autoCapitalize: "none" }}
      beside={
        enhanced ? (
          <>
            <button
              type="button"
              className="button secondary password-toggle"
              aria-controls={inputProps.id}
              aria-label={visible ? toggle.hideLabel : toggle.showLabel}
              onClick={flip}
            >
              {visible ? toggle.hide : toggle.show}
            </button>
            <span className="visually-hidden" aria-live="polite">
              {announced}
            </span>
          </>
        ) : null
      }
    />
  );
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
