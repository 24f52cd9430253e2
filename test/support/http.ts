// Small HTTP helpers for API tests.
import { basicAuth, DEMO_SECRETS } from "./config.js";

export interface PreRegisterBody {
  client_id?: unknown;
  scope?: unknown;
  redirect_uri?: unknown;
  auth_type?: unknown;
  grant_type?: unknown;
  profile_fields?: unknown;
  locale?: unknown;
  resend?: unknown;
  [other: string]: unknown;
}

export function preRegisterBody(overrides: PreRegisterBody = {}, profile: Record<string, unknown> = {}): PreRegisterBody {
  return {
    client_id: "shop-web",
    scope: "openid",
    auth_type: "email",
    redirect_uri: "https://shop.acme.example/callback",
    grant_type: "password",
    profile_fields: { emailAddress: "jane@example.com", firstName: "Jane", lastName: "Doe", ...profile },
    ...overrides,
  };
}

export async function preRegister(
  baseUrl: string,
  body: unknown,
  opts: { clientId?: string; secret?: string; authorization?: string; contentType?: string; raw?: string } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const clientId = opts.clientId ?? "shop-web";
  const secret = opts.secret ?? DEMO_SECRETS[clientId as keyof typeof DEMO_SECRETS] ?? "";
  const res = await fetch(`${baseUrl}/idp/v1/account/pre-register`, {
    method: "POST",
    headers: {
      "content-type": opts.contentType ?? "application/json",
      authorization: opts.authorization ?? basicAuth(clientId, secret),
    },
    body: opts.raw ?? JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON: kept as text */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
