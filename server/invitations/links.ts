// The links in messages (docs/journey.md): PUBLIC_URL/invite/<token> by email,
// PUBLIC_URL/i/<token> by SMS, or the brand portal's loginUrl with a signed login_hint JWT.
import { SignJWT, jwtVerify } from "jose";
import { createHash } from "node:crypto";
import type { Client } from "../config/schema.js";

const ISSUER = "invite-journey";
const AUDIENCE = "login_hint";

function keyOf(secret: string): Uint8Array {
  return createHash("sha256").update(`login-hint:${secret}`).digest();
}

export class Links {
  constructor(
    private readonly publicUrl: string,
    private readonly secrets: string[],
  ) {}

  journey(token: string): string {
    return `${this.publicUrl}/invite/${token}`;
  }

  sms(token: string): string {
    return `${this.publicUrl}/i/${token}`;
  }

  /** The email link: straight to the journey, or through the brand portal when it has a loginUrl. */
  async email(token: string, client: Client): Promise<string> {
    if (!client.loginUrl) return this.journey(token);
    const url = new URL(client.loginUrl);
    url.searchParams.set("login_hint", await this.loginHint(token, client.clientId));
    return url.toString();
  }

  /**
   * No expiry in the JWT: the invitation's own validity decides, so an expired invitation reached
   * through its portal still gets the expired page (and "Send me a new link"), not "no longer valid".
   */
  async loginHint(token: string, clientId: string): Promise<string> {
    return new SignJWT({ inv: token, cid: clientId })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .sign(keyOf(this.secrets[0]!));
  }

  /** The link token inside a login_hint the portal forwarded, or undefined if it is not ours or has expired. */
  async tokenFromLoginHint(jwt: string): Promise<string | undefined> {
    for (const secret of this.secrets) {
      try {
        const { payload } = await jwtVerify(jwt, keyOf(secret), { issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"] });
        return typeof payload.inv === "string" ? payload.inv : undefined;
      } catch {
        /* try the next key */
      }
    }
    return undefined;
  }
}
