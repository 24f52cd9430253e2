// What the benchmark runner and the server process (bench/serve.ts) agree on.
import { DEMO_SECRETS } from "../test/support/config.js";

export const BENCH_CLIENT = "shop-web";
export const BENCH_SECRET = DEMO_SECRETS["shop-web"];
export const PRE_REGISTER_PATH = "/idp/v1/account/pre-register";

/** The pre-register body; `[<id>]` is where autocannon puts a fresh id on every request. */
export function preRegisterBody(email: string): string {
  return JSON.stringify({
    client_id: BENCH_CLIENT,
    scope: "openid profile",
    redirect_uri: "https://shop.acme.example/callback",
    auth_type: "email",
    grant_type: "password",
    profile_fields: { emailAddress: email, firstName: "Bench", lastName: "Mark" },
    locale: "en-US",
  });
}

export interface BareResponse {
  status: number;
  headers: [string, string][];
  body: string;
}

/** What one request to a measured URL answered: a page that got faster by breaking shows here. */
export interface ResponseCheck {
  what: string;
  status: number;
  bytes: number;
  /** `<script` tags in the body (0 for JSON). */
  scripts: number;
}

export function responseCheck(what: string, r: { status: number; body: Buffer }): ResponseCheck {
  const text = r.body.toString("utf8");
  return { what, status: r.status, bytes: r.body.length, scripts: (text.match(/<script[\s>]/gi) ?? []).length };
}
