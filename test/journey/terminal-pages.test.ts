// The journey's two newer end pages over plain HTTP: a link a reminder replaced ("A newer link was
// sent", nothing of the address), and an activation whose stored return address was removed from
// the configuration since (the page instead of a redirect), in en-US, fr-FR and ar.
import { randomUUID } from "node:crypto";
import { hashLinkToken } from "../../server/invitations/tokens.js";
import { dom, filledForm, invitedByEmail, openActivation, pathOf } from "./support.js";
import { HttpClient } from "../support/http.js";
import { useTestEnv } from "../support/env.js";

const env = useTestEnv();

/** What a reminder does to the invitation: a new token, the old one kept as replaced. */
async function replaceLink(invitationLink: string) {
  const oldHash = hashLinkToken(pathOf(invitationLink).split("/").pop()!);
  await env.server.services.db.kysely
    .updateTable("invitations")
    .set({ replaced_token_hash: oldHash, token_hash: hashLinkToken(randomUUID()) })
    .where("token_hash", "=", oldHash)
    .execute();
}

describe("a link a reminder replaced", () => {
  test.each([
    ["en-US", "A newer link was sent", "Open the most recent message we sent you and use its link."],
    ["fr-FR", "Un lien plus récent a été envoyé", "Ouvrez le message le plus récent que nous vous avons envoyé et utilisez son lien."],
    ["ar", "أُرسل رابط أحدث", "افتح أحدث رسالة أرسلناها إليك واستخدم الرابط الموجود فيها."],
  ])("%s: says a newer link was sent, and nothing of the address", async (lng, title, next) => {
    const { email, link } = await invitedByEmail(env);
    await replaceLink(link);
    const page = await new HttpClient(env.server.url).get(`${pathOf(link)}?lng=${lng}`);
    expect(page.status).toBe(410);
    const doc = dom(page.html);
    expect(doc.documentElement.lang).toBe(lng);
    expect(doc.querySelector("h1")?.textContent).toBe(title);
    expect(page.text).toContain(next);
    expect(page.html).not.toContain(email);
    expect(page.html).not.toContain(email.split("@")[0]);
  });

  test("a link nobody replaced stays the generic invalid page", async () => {
    const page = await new HttpClient(env.server.url).get(`/invite/${"A".repeat(43)}`);
    expect(page.status).toBe(404);
    expect(page.text).toContain("This link is no longer valid");
  });
});

describe("a return address removed since the invitation was made", () => {
  test.each([
    ["en-US", "We cannot take you back to the application"],
    ["fr-FR", "Nous ne pouvons pas vous ramener à l’application"],
    ["ar", "لا يمكننا إعادتك إلى التطبيق"],
  ])("%s: the account is activated and the page says so instead of redirecting", async (lng, title) => {
    const { email, uuid, link } = await invitedByEmail(env);
    await env.server.services.db.kysely
      .updateTable("invitations")
      .set({ redirect_uri: "https://removed.example/callback" })
      .where("email", "=", email)
      .execute();
    const client = new HttpClient(env.server.url);
    const form = await openActivation(client, `${link}?lng=${lng}`);
    const done = await client.post("/activate", filledForm(form.csrf!));
    expect(done.status).toBe(200);
    expect(done.location).toBeNull();
    const doc = dom(done.html);
    expect(doc.documentElement.lang).toBe(lng);
    expect(doc.querySelector("h1")?.textContent).toBe(title);
    expect(done.text).not.toContain("removed.example");
    const account = await env.server.services.db.kysely.selectFrom("accounts").select("status").where("id", "=", uuid).executeTakeFirst();
    expect(account?.status).toBe("active");
    // The journey is over: the cookie no longer opens the form.
    expect((await client.get("/activate")).status).not.toBe(200);
  });

  test("the used link's Sign in never leads to the removed address, only to one registered now", async () => {
    const { email, link } = await invitedByEmail(env);
    const client = new HttpClient(env.server.url);
    const form = await openActivation(client, link);
    await client.post("/activate", filledForm(form.csrf!));
    await env.server.services.db.kysely
      .updateTable("invitations")
      .set({ redirect_uri: "https://removed.example/callback" })
      .where("email", "=", email)
      .execute();
    const used = await new HttpClient(env.server.url).get(pathOf(link));
    const signIn = dom(used.html).querySelector<HTMLAnchorElement>("main a.button")?.href;
    expect(signIn).toBeDefined();
    const redirectUri = new URL(signIn!).searchParams.get("redirect_uri");
    expect(redirectUri).toBe("https://shop.acme.example/callback");
  });

  test("the page's own address shows it too", async () => {
    const page = await new HttpClient(env.server.url).get("/invite/return-unavailable");
    expect(page.status).toBe(200);
    expect(page.text).toContain("We cannot take you back to the application");
  });
});
