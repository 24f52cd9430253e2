// What each journey page is given by its loader or action: the shapes the servers build
// (app/journey/*.server.ts, the routes) and the views render (app/journey/components/). Types only,
// so the browser bundle takes nothing from here.
import type { SubmissionResult } from "@conform-to/react";
import type { JoinGrants } from "../../server/invitations/join";
import type { PageLanguage } from "~/i18n";
import type { ActivationFormConfig } from "./activation-form";
import type { JoinFormConfig } from "./join-form";

/** What a page shows of the brand. Its words (the support text, the locale overrides) are in the server's packs. */
export interface BrandView {
  name: string;
  logoUrl: string | null;
  primaryColor: string;
  backgroundColor: string;
  siteTermsUrl: string;
  privacyPolicyUrl: string;
  /** Black or white, whichever reads better on the primary colour (buttons). */
  onPrimary: string;
}

export type Terminal =
  /** `csrf` when the invitee may ask for a new link; `resent` once they did. */
  | { kind: "expired"; csrf?: string; resent?: boolean }
  /** `joined`: the invitation was a join invitation, accepted by an existing account. */
  | { kind: "used"; signInUrl: string; joined?: true }
  | { kind: "invalid" }
  /** A link a reminder replaced: a newer one went to the same address or number (which is not said). */
  | { kind: "superseded" }
  /** Activated or joined, but the stored return address was removed from the configuration since. */
  | { kind: "returnUnavailable" }
  | { kind: "tooMany"; retryAfter: number };

export interface TerminalData {
  view: "terminal";
  terminal: Terminal;
  brand?: BrandView;
  i18n: PageLanguage;
  title: string;
}

export interface LandingData {
  view: "landing";
  brand: BrandView;
  i18n: PageLanguage;
  title: string;
  name: string | null;
  /** Already formatted in the page's language. */
  validUntil: string;
  csrf: string;
}

/** The landing page's answer to an Activate Account press that did not come from its own form. */
export interface LandingErrorData {
  view: "landing-error";
  formError: "csrf";
}

export interface JoinLandingData {
  view: "join-landing";
  brand: BrandView;
  i18n: PageLanguage;
  title: string;
  /** The organization's name, or the application's without one. */
  target: string;
  name: string | null;
  grants: JoinGrants;
  /** Already formatted in the page's language. */
  validUntil: string;
  csrf: string;
}

export interface FormPageData {
  view: "form";
  brand: BrandView;
  i18n: PageLanguage;
  title: string;
  config: ActivationFormConfig;
  defaults: Record<string, string>;
  csrf: string;
}

export interface JoinFormData {
  view: "join-form";
  brand: BrandView;
  i18n: PageLanguage;
  title: string;
  target: string;
  /** The account's identifier, shown read-only (and offered to password managers). */
  identifier: string;
  grants: JoinGrants;
  config: JoinFormConfig;
  /** The client's passwordResetUrl: "Forgot your password?". */
  passwordResetUrl: string | null;
  csrf: string;
}

export interface JoinLockedData {
  view: "join-locked";
  brand: BrandView;
  i18n: PageLanguage;
  title: string;
  /** The end of the lock, formatted in the page's language. */
  until: string;
  minutes: number;
  passwordResetUrl: string | null;
}

/** A form's submission that failed: conform's reply (and, for /join, the tries left and the lock's length). */
export interface FormResultData {
  view: "result";
  result: SubmissionResult<string[]>;
  remaining?: number;
  minutes?: number;
}

export interface DoneData {
  view: "done";
  brand: BrandView;
  i18n: PageLanguage;
  title: string;
  redirectTo: string;
  state: string | null;
  /** The client's frameAncestors: the only origins the message may go to. */
  origins: string[];
}
