// The journey forms' script (activation and join), a few kB in place of React and the Remix
// runtime: the page is the server's HTML and works without it; with it, the form is checked in the
// browser by the schema the action applies (built from the same configuration), errors appear next
// to their fields and in a summary that takes the focus, a flagged field is checked again as it is
// corrected, and the password gets its Show/Hide button. It renders the very markup the server
// renders for a refused form (app/components/forms.tsx), so both read and sound the same.
import { activationSchema } from "../activation-form";
import { parseForm } from "../../forms";
import { joinSchema } from "../join-form";
import { ENHANCE_DATA_ID, type EnhanceData } from "./contract";

type Errors = Record<string, string[] | null | undefined>;

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string>, ...children: (Node | string)[]) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

/** A summary link moves the focus to its field (a fragment link alone only scrolls), its label in view. */
function focusField(event: MouseEvent) {
  const link = (event.target as Element | null)?.closest<HTMLAnchorElement>("#error-summary a[href^='#']");
  const field = link && document.getElementById(link.hash.slice(1));
  if (!field) return;
  event.preventDefault();
  const label = [...document.querySelectorAll("label")].find((l) => l.htmlFor === field.id);
  (label ?? field).scrollIntoView({ block: "start" });
  field.focus({ preventScroll: true });
}

export function enhance(data: EnhanceData, form: HTMLFormElement) {
  const schema = data.form === "activation" ? activationSchema(data.config) : joinSchema(data.config);
  const baseTitle = document.title;
  const idOf = (name: string) => `${data.formId}-${name}`;
  const input = (name: string) => document.getElementById(idOf(name)) as HTMLInputElement | null;
  const names = [...new Set([...form.elements].map((e) => (e as HTMLInputElement).name))].filter((n) => n && input(n));
  const fill = (text: string, vars: Record<string, string | number | undefined>) =>
    text.replace(/\{\{(\w+)\}\}/g, (all, key: string) => String(vars[key] ?? all));
  const words = data.words as Record<string, string>;
  const message = (name: string, code: string) => fill(words[code] ?? code, { min: data.min, max: data.max[name] });
  const summaryLine = (name: string, code: string) => fill(data.summary.item, { label: data.labels[name], message: message(name, code) });
  // Fields already checked (by the server's answer, or by a refused submit), checked again as they change.
  const flagged = new Set(names.filter((n) => input(n)?.getAttribute("aria-invalid") === "true"));

  const check = (): Errors => {
    const submission = parseForm(new FormData(form), schema);
    return submission.status === "success" ? {} : (submission.error ?? {});
  };

  function showFieldErrors(name: string, codes: string[]) {
    const field = input(name);
    const box = field?.closest(".field, .checkbox-field");
    if (!field || !box) return;
    const errorId = `${field.id}-error`;
    document.getElementById(errorId)?.remove();
    const texts = codes.map((c) => message(name, c));
    if (texts.length) {
      box.append(h("ul", { id: errorId, class: "field-errors" }, ...texts.map((t) => h("li", {}, t))));
      field.setAttribute("aria-invalid", "true");
    } else field.removeAttribute("aria-invalid");
    const hintId = `${field.id}-hint`;
    const described = [document.getElementById(hintId) ? hintId : null, texts.length ? errorId : null].filter(Boolean).join(" ");
    if (described) field.setAttribute("aria-describedby", described);
    else field.removeAttribute("aria-describedby");
  }

  function hideSummary() {
    document.getElementById("error-summary")?.remove();
    document.title = baseTitle;
  }

  function showSummary(errors: Errors) {
    const items = names.flatMap((name) =>
      (errors[name] ?? []).map((code) => h("li", {}, h("a", { href: `#${idOf(name)}` }, summaryLine(name, code)))),
    );
    const summary = h(
      "div",
      { class: "error-summary", id: "error-summary", role: "alert", "aria-labelledby": "error-summary-title", tabindex: "-1" },
      h("h2", { id: "error-summary-title" }, data.summary.title),
      ...(items.length ? [h("p", {}, data.summary.intro), h("ul", {}, ...items)] : []),
    );
    const old = document.getElementById("error-summary");
    if (old) old.replaceWith(summary);
    else document.querySelector("main h1")?.nextElementSibling?.after(summary);
    document.title = data.errorTitle;
    summary.focus();
  }

  /** Checks one field as conform does for a field event: its error updates, the summary goes. */
  function recheck(name: string) {
    flagged.add(name);
    showFieldErrors(name, check()[name] ?? []);
    hideSummary();
  }

  const password = data.toggle ? input("password") : null;
  let hidePassword = () => {};
  if (password && data.toggle) {
    const words = data.toggle;
    const button = h("button", { type: "button", class: "button secondary password-toggle", "aria-controls": password.id }, "");
    const status = h("span", { class: "visually-hidden", "aria-live": "polite" });
    const show = (visible: boolean) => {
      password.type = visible ? "text" : "password";
      button.textContent = visible ? words.hide : words.show;
      button.setAttribute("aria-label", visible ? words.hideLabel : words.showLabel);
    };
    show(false);
    button.addEventListener("click", () => {
      const visible = password.type === "password";
      show(visible);
      status.textContent = visible ? words.shown : words.hidden;
    });
    const wrap = h("div", { class: "input-with-button" });
    password.replaceWith(wrap);
    wrap.append(password, button, status);
    hidePassword = () => show(false);
  }

  form.addEventListener("submit", (event) => {
    if ((event.submitter as HTMLElement | null)?.hidden) return;
    hidePassword();
    const errors = check();
    const refused = names.filter((n) => errors[n]?.length);
    if (!refused.length) {
      const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
      if (button) button.textContent = data.submitting;
      return;
    }
    event.preventDefault();
    for (const name of names) {
      flagged.add(name);
      showFieldErrors(name, errors[name] ?? []);
    }
    showSummary(errors);
  });
  form.addEventListener("input", (event) => {
    const name = (event.target as HTMLInputElement).name;
    if (flagged.has(name)) recheck(name);
  });
  if (data.validateOn === "blur")
    form.addEventListener("focusout", (event) => {
      const name = (event.target as HTMLInputElement).name;
      if (names.includes(name) && !flagged.has(name)) recheck(name);
    });
  document.addEventListener("click", focusField);

  form.setAttribute("data-enhanced", "");
  // A form the server refused opens on its summary, said in the title.
  const summary = document.getElementById("error-summary");
  if (summary) {
    document.title = data.errorTitle;
    summary.focus();
  }
}

const script = document.getElementById(ENHANCE_DATA_ID);
if (script?.textContent) {
  const data = JSON.parse(script.textContent) as EnhanceData;
  const form = document.getElementById(data.formId);
  if (form instanceof HTMLFormElement) enhance(data, form);
}
