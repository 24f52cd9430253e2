// Which words of the journey pack a page uses, shared by the server (the page's title) and the
// browser (its heading and body), so both say the same.
import type { TFunction } from "i18next";
import type journey from "../../locales/en-US/journey.json";
import { BROWSER_CODES, type EnhanceData } from "./enhance/contract";
import type { ErrorCode } from "./activation-form";
import type { JoinErrorCode } from "./join-form";
import type { Terminal } from "./pages";

type TerminalSection = keyof (typeof journey)["terminal"];

/** The journey:terminal section a terminal page's words come from: a used join invitation has its own. */
export function terminalWords(terminal: { kind: Terminal["kind"]; joined?: boolean }): TerminalSection {
  return terminal.kind === "used" && terminal.joined ? "joined" : terminal.kind;
}

type ErrorKey = keyof (typeof journey)["errors"];
/** Every code the journey's forms can answer has its words (a code without them fails the typecheck). */
type Codes = ErrorCode | JoinErrorCode;
const everyCodeHasWords: Codes extends ErrorKey ? true : false = true;
void everyCodeHasWords;

/** A form's error code (conform hands it over as a string) as its key in journey:errors. */
export function errorKey(code: string): `errors.${ErrorKey}` {
  return `errors.${code as Codes}`;
}

/**
 * The words a form's script may show, in the page's language, with {{min}}, {{max}}, {{label}} and
 * {{message}} left for the script to fill per field.
 */
export function scriptWords(t: TFunction<"journey">): Pick<EnhanceData, "words" | "summary"> {
  const left = { min: "{{min}}", max: "{{max}}" };
  return {
    words: Object.fromEntries(BROWSER_CODES.map((code) => [code, t(errorKey(code), left)])) as EnhanceData["words"],
    summary: {
      title: t("errors.summaryTitle"),
      intro: t("errors.summaryIntro"),
      item: t("errors.summaryItem", { label: "{{label}}", message: "{{message}}" }),
    },
  };
}
