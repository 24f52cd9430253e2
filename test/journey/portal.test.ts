// Clients with a brand-portal loginUrl (docs/journey.md): every link the brand gets goes through the
// portal with a signed login_hint, and an expired one still gets the expired page.
import { DEMO_ADMIN_TOKEN, tenantWith } from "../support/config.js";
import { TestClock } from "../support/server.js";
import { dom, invitedByEmail, textOf, uniqueEmail } from "./support.js";
import { HttpClient } from "../support/http.js";
import { useTestEnv } from "../support/env.js";

const PORTAL = "https://portal.acme.example/welcome";
// Eight days ago, so an invitation made "now" has expired in real time too (a JWT checks real time).
const clock = new TestClock(new Date(Date.now() - 8 * 24 * 3_600_000));
const env = useTestEnv({ clock, tenant: tenantWith((c) => (c.applications[0].clients[0].loginUrl = PORTAL)) });

const hintOf = (link: string) => new URL(link).searchParams.get("login_hint")!;

it("an expired invitation reached through its portal gets the expired page, not 'no longer valid'", async () => {
  const { link } = await invitedByEmail(env);
  clock.advanceHours(24 * 7 + 1);
  const page = await new HttpClient(env.server.url).get(`/invite?login_hint=${encodeURIComponent(hintOf(link))}`);
  expect(page.status).toBe(410);
  expect(textOf(dom(page.html), "h1")).toBe("This link has expired");
});

it("sendEmail: false hands the brand the portal link, as the email would have carried", async () => {
  const res = await fetch(`${env.server.url}/admin/api/v1/identityStores/customers/invite`, {
    method: "POST",
    headers: { authorization: `Bearer ${DEMO_ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ clientId: "shop-web", email: uniqueEmail("portal"), sendEmail: false }),
  });
  expect(res.status).toBe(201);
  const { invitationUrl } = (await res.json()) as { invitationUrl: string };
  expect(invitationUrl.startsWith(`${PORTAL}?login_hint=`)).toBe(true);
  const landing = await new HttpClient(env.server.url).get(`/invite?login_hint=${encodeURIComponent(hintOf(invitationUrl))}`);
  expect(landing.status).toBe(200);
  expect(textOf(dom(landing.html), "main button")).toBe("Activate Account");
});
