// What a journey form page hands its enhancement script (app/journey/enhance/form.ts): the form's
// configuration, from which the script builds the very schema the action applies, and every word
// it may show, already translated by the server in the page's language. The page ships no i18next
// and no React: the words come as data, in a JSON script element the script reads.
import type { ActivationFormConfig } from "../activation-form";
import type { JoinFormConfig } from "../join-form";

/** The id of the JSON script element that carries an EnhanceData. */
export const ENHANCE_DATA_ID = "form-enhance";

/** The codes the browser's schemas can give (the others come only from the server, already written out). */
export const BROWSER_CODES = [
  "required",
  "tooLong",
  "characters",
  "email",
  "phone",
  "passwordTooShort",
  "passwordTooLong",
  "termsRequired",
  "privacyRequired",
] as const;

interface Common {
  /** The form element's id; its fields' ids are `${formId}-${name}`, as the server renders them. */
  formId: string;
  /** journey:errors.<code> for each browser code, with {{min}} and {{max}} left to fill per field. */
  words: Record<(typeof BROWSER_CODES)[number], string>;
  /** Each field's label, as the summary names it, and its most characters. */
  labels: Record<string, string>;
  max: Record<string, number>;
  /** The password's fewest characters. */
  min: number;
  /** The summary's words; `item` has {{label}} and {{message}} to fill. */
  summary: { title: string; intro: string; item: string };
  /** The document title while a refused form shows. */
  errorTitle: string;
  /** The submit button's text while the form is on its way. */
  submitting: string;
  /** When a field is first checked: when the person asks to go on, or when they leave it. */
  validateOn: "submit" | "blur";
  /** The Show/Hide button of the password field, which exists only when the script runs. */
  toggle?: { show: string; hide: string; showLabel: string; hideLabel: string; shown: string; hidden: string };
}

export type EnhanceData = Common & ({ form: "activation"; config: ActivationFormConfig } | { form: "join"; config: JoinFormConfig });

/** The id of the JSON script element of the embedded journey's last page. */
export const DONE_DATA_ID = "done-message";

/** Sent to the embedding page when the account is activated (docs/journey.md). */
export const ACTIVATED_MESSAGE = "invite-journey:activated";

export interface DoneMessageData {
  message: { type: typeof ACTIVATED_MESSAGE; redirectTo: string; state: string | null };
  origins: string[];
}

/** The data as JSON that cannot close its script element. */
export function scriptJson(data: EnhanceData | DoneMessageData): string {
  return JSON.stringify(data).replace(/</g, "\\u003c");
}
