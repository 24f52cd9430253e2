// Wrong passwords on a join invitation, over real HTTP: each is refused beside the field in the
// page's language and changes nothing but the invitation's count of tries; the fifth locks the
// invitation (not the account) for 15 minutes, the page says until when, and the right password
// works again after that. Guesses sent at the same moment are counted before they are checked.
import { readFileSync } from "node:fs";
import { argon2id, type PasswordHasher } from "../../server/lib/passwords.js";
import { api, STORE_PATH } from "../admin/helpers.js";
import { TestClock } from "../support/server.js";
import { snapshot } from "../support/snapshot.js";
import { ACCOUNT_PASSWORD, activeAccount, joinInvitation, openJoin } from "./join-support.js";
import { dom, filledForm, invitedByEmail, openActivation, textOf } from "./support.js";
import { HttpClient } from "../support/http.js";
import { startTestEnv, type TestEnv } from "../support/env.js";

let env: TestEnv;
const clock = new TestClock();
/** Every password the server checked against an account, in order. */
const checked: string[] = [];
const passwords: PasswordHasher = {
  hash: argon2id.hash,
  verify: (hash, password) => {
    checked.push(password);
    return argon2id.verify(hash, password);
  },
};

beforeAll(async () => {
  env = await startTestEnv({ clock, passwords });
});
afterAll(() => env?.close());

const db = () => env.server.services.db.kysely;
const account = async (id: string) => (await api(env.server.url, `${STORE_PATH}/accounts/${id}`)).body;
const invitation = async (id: string) => (await api(env.server.url, `${STORE_PATH}/invite/${id}`)).body;
/** The journey's locale pack of a language. */
const words = (lng: string) => JSON.parse(readFileSync(`locales/${lng}/journey.json`, "utf8"));

it("says a wrong password beside the field, in the page's language, and changes nothing", async () => {
  const jane = await activeAccount(env.server);
  const inv = await joinInvitation(env.server, jane.email);
  for (const lng of ["fr-FR", "ar"]) {
    const client = new HttpClient(env.server.url);
    const form = await openJoin(client, inv.invitationUrl, `?lng=${lng}`);
    const before = await snapshot(env.server.services);
    const res = await client.post("/join", { csrf: form.csrf!, password: "not the password at all" });
    expect(res.status).toBe(400);
    const html = res.html;
    const page = dom(html);
    expect(page.documentElement.lang).toBe(lng);
    const input = page.querySelector<HTMLInputElement>('input[name="password"]')!;
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.value).toBe("");
    expect(html).not.toContain("not the password at all");
    const message = textOf(page, `#${input.id}-error`)!;
    const remaining = lng === "fr-FR" ? 4 : 3;
    expect(message).toBe(words(lng).errors.passwordWrong.replace("{{minutes}}", "15").replace("{{remaining}}", String(remaining)));
    expect(textOf(page, "#error-summary")).toContain(message);
    // Only the invitation's count of tries moved.
    const after = await snapshot(env.server.services);
    expect(after.accounts).toEqual(before.accounts);
    expect(after.account_memberships).toEqual(before.account_memberships);
  }
  expect(await invitation(inv.id)).toMatchObject({ status: "pending" });
});

it("locks the invitation for 15 minutes after five wrong passwords, says until when, and then lets the right one join", async () => {
  const jane = await activeAccount(env.server);
  const inv = await joinInvitation(env.server, jane.email);
  const client = new HttpClient(env.server.url);
  const form = await openJoin(client, inv.invitationUrl);
  for (let i = 1; i <= 4; i++) expect((await client.post("/join", { csrf: form.csrf!, password: `wrong ${i}` })).status).toBe(400);
  const lockedAt = clock.now();
  const fifth = await client.post("/join", { csrf: form.csrf!, password: "wrong 5" });
  expect(fifth.status).toBe(429);
  expect(Number(fifth.headers.get("retry-after"))).toBe(15 * 60);
  const page = dom(fifth.html);
  expect(textOf(page, "h1")).toBe("This invitation is locked for now");
  const until = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" })
    .format(new Date(lockedAt.getTime() + 15 * 60_000))
    .replace(/\s+/g, " ");
  expect(textOf(page, "main")).toContain(`accepts no password for 15 minutes, until ${until} UTC.`);
  expect(textOf(page, "main")).toContain("Your account itself is not locked");
  expect(page.querySelector("main form")).toBeNull();

  // Meanwhile even the right password is refused, and the page says the same on a reload.
  const right = await client.post("/join", { csrf: form.csrf!, password: ACCOUNT_PASSWORD });
  expect(right.status).toBe(429);
  expect((await client.get("/join")).status).toBe(429);
  clock.advanceMinutes(14);
  expect((await client.post("/join", { csrf: form.csrf!, password: ACCOUNT_PASSWORD })).status).toBe(429);
  expect(await invitation(inv.id)).toMatchObject({ status: "pending" });

  clock.advanceMinutes(1);
  const reopened = await client.get("/join");
  expect(reopened.status).toBe(200);
  const joined = await client.post("/join", { csrf: reopened.csrf!, password: ACCOUNT_PASSWORD });
  expect(joined.status).toBe(303);
  expect((await account(jane.id)).memberships.map((m: { organization: string }) => m.organization)).toEqual(["northwind"]);
});

it("locks only the invitation: the account is unchanged, others activate meanwhile, and a new invitation for it works at once", async () => {
  const jane = await activeAccount(env.server);
  const before = await db().selectFrom("accounts").selectAll().where("id", "=", jane.id).executeTakeFirstOrThrow();
  const inv = await joinInvitation(env.server, jane.email);
  const client = new HttpClient(env.server.url);
  const form = await openJoin(client, inv.invitationUrl);
  for (let i = 1; i <= 5; i++) await client.post("/join", { csrf: form.csrf!, password: `wrong ${i}` });
  expect((await client.get("/join")).status).toBe(429);

  // The account row (status, password, everything the sign-in elsewhere relies on) is untouched.
  expect(await db().selectFrom("accounts").selectAll().where("id", "=", jane.id).executeTakeFirstOrThrow()).toEqual(before);
  // Someone else's activation from the same address goes through.
  const other = await invitedByEmail(env);
  const otherForm = await openActivation(client, other.link);
  expect((await client.post("/activate", filledForm(otherForm.csrf!))).status).toBe(303);
  // The administrator revokes the locked invitation and invites again: the account joins at once.
  expect((await api(env.server.url, `${STORE_PATH}/invite/${inv.id}`, { method: "DELETE" })).status).toBe(204);
  const fresh = await joinInvitation(env.server, jane.email);
  const again = new HttpClient(env.server.url);
  const freshForm = await openJoin(again, fresh.invitationUrl);
  expect((await again.post("/join", { csrf: freshForm.csrf!, password: ACCOUNT_PASSWORD })).status).toBe(303);
});

it("counts guesses sent at the same moment: no more than five are ever checked", async () => {
  const jane = await activeAccount(env.server);
  const inv = await joinInvitation(env.server, jane.email);
  const client = new HttpClient(env.server.url);
  const form = await openJoin(client, inv.invitationUrl);
  const from = checked.length;
  const answers = await Promise.all(
    Array.from({ length: 9 }, (_, i) => client.post("/join", { csrf: form.csrf!, password: `guess ${i}` })),
  );
  const statuses = answers.map((r) => r.status);
  expect(statuses.filter((s) => s === 400).length).toBe(4);
  expect(statuses.filter((s) => s === 429).length).toBe(5);
  expect((await client.post("/join", { csrf: form.csrf!, password: ACCOUNT_PASSWORD })).status).toBe(429);
  // Five guesses were checked against the account, and nothing after them.
  expect(checked.slice(from).filter((p) => p.startsWith("guess "))).toHaveLength(5);
  expect(checked.slice(from)).not.toContain(ACCOUNT_PASSWORD);
});
