// @vitest-environment jsdom
// The journey forms' script on the server's markup (the form components of app/components/forms.tsx):
// the server's HTML has no Show button and a plain password input; the script adds the button,
// checks the form with the schema the action applies, puts each error next to its field (tied with
// aria-describedby) and in a summary that takes the focus, checks a flagged field again as it is
// corrected, and lets a valid form go.
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { renderToString } from "react-dom/server";
import { CheckboxField, Field, PasswordField } from "../../app/components/forms.js";
import type { EnhanceData } from "../../app/journey/enhance/contract.js";
import { enhance } from "../../app/journey/enhance/form.js";

const WORDS: EnhanceData["words"] = {
  required: "Fill in this field.",
  tooLong: "Use at most {{max}} characters.",
  characters: "Remove control characters.",
  email: "Enter an email address.",
  phone: "Enter a mobile number.",
  passwordTooShort: "Use at least {{min}} characters.",
  passwordTooLong: "Use at most {{max}} characters.",
  termsRequired: "Accept the terms.",
  privacyRequired: "Confirm the privacy notice.",
};

const activation: EnhanceData = {
  form: "activation",
  formId: "activate",
  config: {
    fields: [{ name: "firstName", required: true }],
    password: { minLength: 12, maxLength: 64 },
    identifier: { kind: "email", value: "jane@example.com", locked: true },
  },
  words: WORDS,
  summary: { title: "There is a problem", intro: "Correct the following:", item: "{{label}}: {{message}}" },
  labels: { firstName: "First name", password: "Password", acceptTerms: "Terms", acceptPrivacy: "Privacy" },
  max: { firstName: 100, password: 64, acceptTerms: 0, acceptPrivacy: 0 },
  min: 12,
  errorTitle: "Error: Activate",
  submitting: "Activating…",
  validateOn: "submit",
  toggle: { show: "Show", hide: "Hide", showLabel: "Show password", hideLabel: "Hide password", shown: "Visible", hidden: "Hidden" },
};

function Page({ id = "activate" }: { id?: string }) {
  return (
    <main>
      <h1>Activate</h1>
      <p>Review your details.</p>
      <form id={id} method="post" noValidate>
        <Field label="First name" inputProps={{ id: `${id}-firstName`, name: "firstName" }} />
        <PasswordField label="Password" hint="At least 12." inputProps={{ id: `${id}-password`, name: "password" }} />
        <CheckboxField label="Terms" inputProps={{ id: `${id}-acceptTerms`, name: "acceptTerms" }} />
        <CheckboxField label="Privacy" inputProps={{ id: `${id}-acceptPrivacy`, name: "acceptPrivacy" }} />
        <button type="submit">Activate</button>
      </form>
    </main>
  );
}

function mount(data: EnhanceData = activation) {
  document.title = "Activate";
  render(<Page id={data.formId} />);
  const form = document.getElementById(data.formId) as HTMLFormElement;
  enhance(data, form);
  return form;
}

function submit(form: HTMLFormElement, submitter: HTMLElement = screen.getByRole("button", { name: "Activate" })) {
  const event = new SubmitEvent("submit", { submitter, bubbles: true, cancelable: true });
  form.dispatchEvent(event);
  return event;
}

afterEach(cleanup);

it("the server's password field is a plain password input that takes paste, with no button", () => {
  const html = renderToString(<Page />);
  const doc = new DOMParser().parseFromString(html, "text/html");
  expect(doc.querySelectorAll("button[type=button]")).toHaveLength(0);
  const input = doc.querySelector<HTMLInputElement>("#activate-password")!;
  expect([input.type, input.getAttribute("spellcheck"), input.getAttribute("autocapitalize"), input.getAttribute("onpaste")]).toEqual([
    "password",
    "false",
    "none",
    null,
  ]);
});

it("adds a Show/Hide button that names what it does and announces each change", () => {
  mount();
  const input = screen.getByLabelText("Password");
  const button = screen.getByRole("button", { name: "Show password" });
  expect([button.getAttribute("type"), button.textContent, button.getAttribute("aria-controls")]).toEqual([
    "button",
    "Show",
    "activate-password",
  ]);
  fireEvent.click(button);
  expect(input).toHaveAttribute("type", "text");
  expect(button).toHaveAccessibleName("Hide password");
  expect(screen.getByText("Visible")).toHaveAttribute("aria-live", "polite");
  fireEvent.click(button);
  expect(input).toHaveAttribute("type", "password");
  expect(screen.getByText("Hidden")).toBeInTheDocument();
});

it("refuses an incomplete form: errors by their fields and in a summary that takes the focus, named in the title", () => {
  const form = mount();
  fireEvent.input(screen.getByLabelText("Password"), { target: { value: "short" } });
  fireEvent.click(screen.getByRole("button", { name: "Show password" }));
  expect(submit(form).defaultPrevented).toBe(true);

  expect(screen.getByLabelText("Password")).toHaveAttribute("type", "password");
  const firstName = screen.getByLabelText("First name");
  expect(firstName).toHaveAttribute("aria-invalid", "true");
  expect(firstName).toHaveAccessibleDescription("Fill in this field.");
  expect(screen.getByLabelText("Password")).toHaveAccessibleDescription("At least 12. Use at least 12 characters.");
  const summary = document.getElementById("error-summary")!;
  expect(summary).toHaveAttribute("role", "alert");
  expect(summary.previousElementSibling?.textContent).toBe("Review your details.");
  expect([...summary.querySelectorAll("a")].map((a) => [a.getAttribute("href"), a.textContent])).toEqual([
    ["#activate-firstName", "First name: Fill in this field."],
    ["#activate-password", "Password: Use at least 12 characters."],
    ["#activate-acceptTerms", "Terms: Accept the terms."],
    ["#activate-acceptPrivacy", "Privacy: Confirm the privacy notice."],
  ]);
  expect(document.activeElement).toBe(summary);
  expect(document.title).toBe("Error: Activate");

  // Corrected, the field is checked again at once; the summary goes with the first correction.
  fireEvent.input(firstName, { target: { value: "Jane" } });
  expect(firstName).not.toHaveAttribute("aria-invalid");
  expect(firstName).not.toHaveAccessibleDescription();
  expect(document.getElementById("error-summary")).toBeNull();
  expect(document.title).toBe("Activate");
  expect(screen.getByLabelText("Password")).toHaveAttribute("aria-invalid", "true");
});

it("a summary link moves the focus to its field", () => {
  const form = mount();
  submit(form);
  const link = screen.getByRole("link", { name: "Terms: Accept the terms." });
  Element.prototype.scrollIntoView = () => {};
  fireEvent.click(link);
  expect(document.activeElement).toBe(screen.getByLabelText("Terms"));
});

it("lets a valid form go, saying it is on its way, and ignores a script's hidden submitter", () => {
  const form = mount();
  fireEvent.input(screen.getByLabelText("First name"), { target: { value: "Jane" } });
  fireEvent.input(screen.getByLabelText("Password"), { target: { value: "a long enough password" } });
  fireEvent.click(screen.getByLabelText("Terms"));
  fireEvent.click(screen.getByLabelText("Privacy"));
  const hidden = document.createElement("button");
  hidden.hidden = true;
  form.append(hidden);
  fireEvent.click(screen.getByRole("button", { name: "Show password" }));
  submit(form, hidden);
  expect(screen.getByLabelText("Password")).toHaveAttribute("type", "text");

  expect(submit(form).defaultPrevented).toBe(false);
  expect(screen.getByLabelText("Password")).toHaveAttribute("type", "password");
  expect(screen.getByRole("button", { name: "Activating…" })).toBeInTheDocument();
  expect(document.getElementById("error-summary")).toBeNull();
});

it("the join form checks a field as it is left", () => {
  const join: EnhanceData = {
    ...activation,
    form: "join",
    formId: "join",
    config: { passwordMax: 64, requireTerms: false },
    validateOn: "blur",
    toggle: undefined,
  };
  mount(join);
  const password = screen.getByLabelText("Password");
  expect(screen.queryByRole("button", { name: "Show password" })).toBeNull();
  fireEvent.focusOut(password);
  expect(password).toHaveAccessibleDescription("At least 12. Fill in this field.");
  fireEvent.input(password, { target: { value: "x" } });
  expect(password).not.toHaveAttribute("aria-invalid");
});
