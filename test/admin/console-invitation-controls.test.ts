// The console's invitation controls over plain HTTP, as a browser without JavaScript uses them
// (docs/admin-api.md, the console): "Valid for" and the return address on Invite customer, the
// author recorded, the list's filters, badges and CSV download, the detail view's messages, Resend
// with language and validity, "Get a link to share", and an upload's results as CSV.
import { lookupLink, tokenHashOf } from "../../server/invitations/activate.js";
import { HttpClient } from "../support/http.js";
import { useTestEnv } from "../support/env.js";
import { waitUntil } from "../support/wait.js";
import { api, createInvitation, shopInvite, STORE_PATH, tokenOf, uniqueEmail } from "./helpers.js";

const STORE = "/admin/stores/customers";
const { server } = useTestEnv();

async function signedIn() {
  const client = new HttpClient(server.url);
  expect((await client.signIn()).status).toBe(302);
  return client;
}

const db = () => server.services.db.kysely;
const rowOf = (email: string) => db().selectFrom("invitations").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
const hoursFromNow = (iso: string) => Math.round((Date.parse(iso) - Date.now()) / 3_600_000);
const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** The invitation's message as given up on: once the worker is done with it, so it cannot overwrite that. */
async function giveUp(invitationId: string) {
  await waitUntil(
    () => db().selectFrom("outbox").select("id").where("invitation_id", "=", invitationId).where("status", "=", "sent").executeTakeFirst(),
    "the invitation's message sent",
  );
  await db()
    .updateTable("outbox")
    .set({ status: "abandoned", attempts: 5, error_class: "rejected" })
    .where("invitation_id", "=", invitationId)
    .execute();
}

describe("Invite customer", () => {
  test("offers 'Valid for' up to the store's maximum (its default chosen) and the clients' return addresses; records the administrator", async () => {
    const client = await signedIn();
    const form = await client.get(`${STORE}/invitations/new`);
    expect(form.status).toBe(200);
    expect(form.html).toMatch(/<option value="168" selected="">7 days<\/option>/);
    expect(form.html).toContain('<option value="720">30 days</option>');
    expect(form.html).not.toContain('value="1440"');
    expect(form.text).toContain("This identity store allows up to 30 days.");
    expect(decode(form.html)).toContain("Shop (shop-web) — http://localhost:3000/callback");

    const email = uniqueEmail("valid-for");
    const sent = await client.post(`${STORE}/invitations/new`, {
      email,
      language: "en-US",
      expiresInHours: "24",
      organization: "",
      clientId: "shop-web",
      redirectUri: "http://localhost:3000/callback",
    });
    expect(sent.status).toBe(302);
    const row = await rowOf(email);
    expect(hoursFromNow(row.valid_until)).toBe(24);
    expect(row.redirect_uri).toBe("http://localhost:3000/callback");
    const detail = await api(server.url, `${STORE_PATH}/invite/${row.id}`);
    expect(detail.body.invitedBy).toEqual({ type: "console", name: "demo-admin" });
  });

  test("a return address of another client and a validity over the maximum are refused on their fields, nothing created", async () => {
    const client = await signedIn();
    await client.get(`${STORE}/invitations/new`);
    const email = uniqueEmail("refused");
    const res = await client.post(`${STORE}/invitations/new`, {
      email,
      language: "en-US",
      expiresInHours: "1000",
      organization: "",
      clientId: "shop-web",
      redirectUri: "https://partners.acme.example/callback",
    });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/Valid for ?: This validity is longer than the identity store allows\./);
    expect(res.text).toMatch(/Return address ?: This return address is not one of the client's registered redirect URIs\./);
    expect(await db().selectFrom("invitations").select("id").where("email", "=", email).execute()).toEqual([]);
  });
});

describe("the Invitations list", () => {
  test("filters in a GET form, 'Not delivered' badges, who invited, and a CSV of the filtered list with the API's columns", async () => {
    const tag = `flt${Date.now()}`;
    const lost = await createInvitation(server, shopInvite({ email: `${tag}-lost@example.com` }));
    await createInvitation(server, shopInvite({ email: `${tag}-fine@example.com` }));
    await giveUp(lost.id);
    const client = await signedIn();

    const page = await client.get(`${STORE}/invitations?q=${tag}`);
    expect(page.html).toMatch(/<form[^>]*method="get"/);
    for (const name of ["q", "status", "organization", "clientId", "channel", "delivery", "sort"])
      expect(page.html).toContain(`name="${name}"`);
    expect(page.text).toContain("Invitations found: 2");
    expect(page.text).toContain("demo-admin (admin API)");
    expect(page.text.match(/Not delivered/g)?.length).toBe(2); // the filter's option and the one badge

    const notDelivered = await client.get(`${STORE}/invitations?q=${tag}&delivery=abandoned`);
    expect(notDelivered.text).toContain("Invitations found: 1");
    expect(notDelivered.text).toContain(`${tag}-lost@example.com`);
    expect(notDelivered.text).not.toContain(`${tag}-fine@example.com`);
    expect(notDelivered.html).toContain(`href="${STORE}/invitations/export.csv?q=${tag}&amp;delivery=abandoned"`);

    const csv = await client.get(`${STORE}/invitations/export.csv?q=${tag}&delivery=abandoned`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).toContain("attachment");
    const apiCsv = await fetch(`${server.url}${STORE_PATH}/invite?format=csv&q=${tag}&delivery=abandoned`, {
      headers: { authorization: "Bearer demo-admin-token" },
    });
    expect(csv.html).toBe(await apiCsv.text());
    expect(csv.html.trim().split("\r\n")).toHaveLength(2);
  });

  test("a page past the end says so, and no 'No invitations yet'", async () => {
    await createInvitation(server, shopInvite());
    const client = await signedIn();
    const page = await client.get(`${STORE}/invitations?page=999`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("This page is past the end of the list.");
    expect(page.text).not.toContain("No invitations yet");
    expect(page.html).toMatch(/href="\?page=\d+">Go to the last page/);
  });
});

describe("the detail view", () => {
  test("who invited, the messages with 'Not delivered', Resend with language and validity", async () => {
    const inv = await createInvitation(server, shopInvite());
    await giveUp(inv.id);
    const client = await signedIn();
    const page = await client.get(`${STORE}/invitations/${inv.id}`);
    expect(page.text).toContain("Invited by demo-admin (admin API)");
    expect(page.text).toContain("Reminder sent No reminder sent");
    expect(page.text).toContain("Email Not delivered 5");
    expect(page.text).toContain("rejected");

    const tooLong = await client.post(`${STORE}/invitations/${inv.id}`, { intent: "resend", language: "fr-FR", expiresInHours: "1000" });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain("The new validity is outside what this identity store allows.");

    const resent = await client.post(`${STORE}/invitations/${inv.id}`, { intent: "resend", language: "fr-FR", expiresInHours: "48" });
    expect(resent.status).toBe(302);
    const row = await rowOf(inv.email);
    expect(row.language).toBe("fr-FR");
    expect(hoursFromNow(row.valid_until)).toBe(48);
    expect(row.resend_count).toBe(1);
  });

  test("'Get a link to share': warned before, a new link shown once in the POST's page, nothing sent, the earlier link dead", async () => {
    const inv = await createInvitation(server, shopInvite({ sendEmail: false }));
    const earlier = tokenOf(inv.invitationUrl);
    const client = await signedIn();
    const page = await client.get(`${STORE}/invitations/${inv.id}`);
    expect(page.text).toMatch(/The link sent earlier stops working as soon as you get this one\. Get a link to share/);
    const outboxBefore = (await db().selectFrom("outbox").select("id").where("invitation_id", "=", inv.id).execute()).length;

    const shared = await client.post(`${STORE}/invitations/${inv.id}`, { intent: "share" });
    expect(shared.status).toBe(200);
    expect(shared.location).toBeNull();
    const url = decode(/<input id="shared-link" type="text" readonly="" [^>]*value="([^"]+)"/.exec(shared.html)?.[1] ?? "");
    expect(url).toMatch(/\/invite\/[A-Za-z0-9_-]+$/);
    expect((await lookupLink(server.services, tokenHashOf(tokenOf(url)))).kind).toBe("valid");
    expect((await lookupLink(server.services, tokenHashOf(earlier))).kind).toBe("invalid");
    expect((await db().selectFrom("outbox").select("id").where("invitation_id", "=", inv.id).execute()).length).toBe(outboxBefore);
    expect((await rowOf(inv.email)).resend_count).toBe(1);
    // Shown once: the page read again does not carry it.
    expect((await client.get(`${STORE}/invitations/${inv.id}`)).html).not.toContain(tokenOf(url));
  });
});

describe("an upload's results as CSV", () => {
  test("the result page posts its rows back and gets them as a file in the administrator's words; forged keys and CSRF are refused", async () => {
    const client = await signedIn();
    const good = uniqueEmail("csv-results");
    await client.get(`${STORE}/invitations/bulk`);
    const upload = new FormData();
    upload.append(
      "file",
      new Blob([`email,clientId\r\n${good},shop-web\r\nnot-an-email,shop-web\r\n=cmd,shop-web\r\n`], { type: "text/csv" }),
      "x.csv",
    );
    const results = await client.postMultipart(`${STORE}/invitations/bulk`, upload);
    expect(results.status).toBe(200);
    expect(results.html).toContain(`action="${STORE}/invitations/bulk/results.csv"`);
    const rows = decode(/name="results" value="([^"]*)"/.exec(results.html)![1]!);

    const post = (value: string, csrf = client.csrf) => {
      const form = new FormData();
      form.append("csrf", csrf);
      form.append("results", value);
      return client.postMultipart(`${STORE}/invitations/bulk/results.csv`, form);
    };
    const csv = await post(rows);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-disposition")).toContain("attachment");
    const lines = csv.html.trim().split("\r\n");
    expect(lines[0]).toBe("Row,Email address,Result,Invitation,Pending invitation,Reasons");
    expect(lines[1]).toMatch(new RegExp(`^2,${good},Created,[0-9a-f-]{36},,$`));
    expect(lines[2]).toBe("3,not-an-email,Not created,,,email: The email address is missing or not valid.");
    expect(lines[3]!.startsWith("4,'=cmd,")).toBe(true);

    const forged = JSON.parse(rows) as { reasons: { column: string; key: string }[] }[];
    forged[1]!.reasons = [{ column: "email", key: "signIn.title" }];
    expect((await post(JSON.stringify(forged))).status).toBe(400);
    expect((await post(rows, "forged")).status).toBe(403);
  });
});
