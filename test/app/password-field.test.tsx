// @vitest-environment jsdom
// The password field on its own: the server's HTML has no Show button (a page without JavaScript
// keeps a plain password input); once mounted, the button appears, names what it does, shows and
// hides the password, announces each change, and hides it again when the form is sent.
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { renderToString } from "react-dom/server";
import { PasswordField, type PasswordToggleText } from "../../app/components/forms.js";

const toggle: PasswordToggleText = {
  show: "Show",
  hide: "Hide",
  showLabel: "Show password",
  hideLabel: "Hide password",
  shown: "Your password is visible",
  hidden: "Your password is hidden",
};

function Form({ onSubmit = (e: React.FormEvent) => e.preventDefault() }) {
  return (
    <form onSubmit={onSubmit}>
      <PasswordField
        label="Password"
        hint="Use at least 12 characters."
        inputProps={{ id: "pw", name: "password", autoComplete: "new-password" }}
        toggle={toggle}
      />
      <button type="submit">Send</button>
    </form>
  );
}

afterEach(cleanup);

it("renders no button on the server, a plain password input that takes paste", () => {
  const html = renderToString(<Form />);
  const doc = new DOMParser().parseFromString(html, "text/html");
  expect(doc.querySelectorAll("button[type=button]")).toHaveLength(0);
  const input = doc.querySelector("input")!;
  expect([input.type, input.autocomplete, input.getAttribute("spellcheck"), input.getAttribute("autocapitalize")]).toEqual([
    "password",
    "new-password",
    "false",
    "none",
  ]);
  expect(input.getAttribute("onpaste")).toBeNull();
});

it("adds the button once mounted, and it shows and hides the password", () => {
  render(<Form />);
  const input = screen.getByLabelText("Password");
  const button = screen.getByRole("button", { name: "Show password" });
  expect([button.getAttribute("type"), button.textContent, button.getAttribute("aria-controls")]).toEqual(["button", "Show", "pw"]);
  expect(input).toHaveAttribute("type", "password");

  fireEvent.click(button);
  expect(input).toHaveAttribute("type", "text");
  expect(button).toHaveAccessibleName("Hide password");
  expect(button).toHaveTextContent("Hide");
  expect(screen.getByText("Your password is visible")).toHaveAttribute("aria-live", "polite");

  fireEvent.click(button);
  expect(input).toHaveAttribute("type", "password");
  expect(button).toHaveAccessibleName("Show password");
  expect(screen.getByText("Your password is hidden")).toBeInTheDocument();
});

it("hides the password when the person sends the form, not when a script validates it", () => {
  render(<Form />);
  const input = screen.getByLabelText("Password");
  const form = input.closest("form")!;
  fireEvent.click(screen.getByRole("button", { name: "Show password" }));
  expect(input).toHaveAttribute("type", "text");

  // A hidden submitter, as conform uses to validate one field as it changes.
  const helper = document.createElement("button");
  helper.hidden = true;
  form.append(helper);
  act(() => {
    form.dispatchEvent(new SubmitEvent("submit", { submitter: helper, bubbles: true, cancelable: true }));
  });
  expect(input).toHaveAttribute("type", "text");

  act(() => {
    form.dispatchEvent(
      new SubmitEvent("submit", { submitter: screen.getByRole("button", { name: "Send" }), bubbles: true, cancelable: true }),
    );
  });
  expect(input).toHaveAttribute("type", "password");
});
