// Profile text over real HTTP, through every way in: the pre-register API, the admin API (single
// and batch), the console's CSV upload and invite form, and the activation form. A control
// character, line break, tab, bidirectional control or lone surrogate is refused naming the field,
// and nothing is stored or sent; text is stored NFC-normalized.
import { api, countRows, STORE_PATH, uniqueEmail } from "../admin/helpers.js";
import { HttpClient, preRegister, preRegisterBody } from "../support/http.js";
import { HOSTILE, HOSTILE_UTF8 } from "../support/hostile-text.js";
import { dom, filledForm, invitedByEmail, openActivation, textOf } from "../journey/support.js";
import { findAccountByIdentifier } from "../../server/store/accounts.js";
import { startTestEnv, type TestEnv } from "../support/env.js";

let env: TestEnv;
let admin: HttpClient;

const CONSOLE = "/admin/stores/customers/invitations";
const HEADER = "email,language,organization,clientId,role,groups,firstName,lastName,companyName,jobTitle";
const API_MESSAGE = "must not contain control characters, line breaks, tabs or bidirectional controls";
const PAGE_MESSAGE = "Remove line breaks, tabs and other invisible control characters.";

beforeAll(async () => {
  env = await startTestEnv();
  admin = new HttpClient(env.server.url);
  expect((await admin.signIn()).status).toBe(302);
});
afterAll(() => env?.close());

/** Everything a way in could have written: accounts, invitations, and messages queued to be sent (the outbox keeps its rows). */
async function stored() {
  const s = env.server;
  return { accounts: await countRows(s, "accounts"), invitations: await countRows(s, "invitations"), outbox: await countRows(s, "outbox") };
}

/** The metadata stored with the one invitation of an email. */
async function metadataOf(email: string): Promise<Record<string, string>> {
  const row = await env.server.services.db.kysely
    .selectFrom("invitations")
    .select("metadata")
    .where("email", "=", email)
    .executeTakeFirstOrThrow();
  return typeof row.metadata === "string" ? JSON.parse(row.metadata) : (row.metadata as Record<string, string>);
}

describe("pre-register API", () => {
  test.each(HOSTILE)("%s: 422 listing every bad field, nothing stored", async (_name, c) => {
    const before = await stored();
    const res = await preRegister(
      env.server.url,
      preRegisterBody({}, { emailAddress: uniqueEmail("pre"), firstName: `Ja${c}ne`, companyName: `${c}Initech` }),
    );
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([
      { field: "profile_fields.firstName", message: API_MESSAGE, code: "characters" },
      { field: "profile_fields.companyName", message: API_MESSAGE, code: "characters" },
    ]);
    expect(await stored()).toEqual(before);
  });

  test("stores NFC text: Jose + combining acute is José", async () => {
    const email = uniqueEmail("pre-nfc");
    const res = await preRegister(
      env.server.url,
      preRegisterBody({}, { emailAddress: email, firstName: "Jose\u0301", lastName: " Nun\u0303ez " }),
    );
    expect(res.status).toBe(201);
    const accounts = await api(env.server.url, `${STORE_PATH}/accounts?email=${encodeURIComponent(email)}`);
    expect(accounts.body.items[0].profile).toEqual({ firstName: "José", lastName: "Nuñez" });
  });
});

describe("admin API", () => {
  test.each(HOSTILE)("%s in a single create: 422 naming the metadata field, nothing stored", async (_name, c) => {
    const before = await stored();
    const res = await api(env.server.url, `${STORE_PATH}/invite`, {
      body: { clientId: "shop-web", email: uniqueEmail("single"), metadata: { givenName: `Ja${c}ne`, jobTitle: `Buyer${c}` } },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { field: "metadata.givenName", message: API_MESSAGE, code: "characters" },
      { field: "metadata.jobTitle", message: API_MESSAGE, code: "characters" },
    ]);
    expect(await stored()).toEqual(before);
  });

  test.each(HOSTILE)("%s in a batch row: that row 422 naming the field, nothing stored", async (_name, c) => {
    const before = await stored();
    const res = await api(env.server.url, `${STORE_PATH}/invite/batch`, {
      body: { invitations: [{ clientId: "shop-web", email: uniqueEmail("batch"), metadata: { lastName: `Do${c}e` } }] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 0, failed: 1 });
    expect(res.body.results[0].status).toBe(422);
    expect(res.body.results[0].problem.errors).toEqual([
      { field: "invitations.0.metadata.lastName", message: API_MESSAGE, code: "characters" },
    ]);
    expect(await stored()).toEqual(before);
  });

  test("single and batch store NFC text", async () => {
    const single = await api(env.server.url, `${STORE_PATH}/invite`, {
      body: { clientId: "shop-web", email: uniqueEmail("single-nfc"), metadata: { givenName: "Jose\u0301", companyName: "Cafe\u0301" } },
    });
    expect(single.status).toBe(201);
    expect(single.body.metadata).toEqual({ givenName: "José", firstName: "José", companyName: "Café" });
    expect(await metadataOf(single.body.email)).toEqual({ firstName: "José", companyName: "Café" });

    const email = uniqueEmail("batch-nfc");
    const batch = await api(env.server.url, `${STORE_PATH}/invite/batch`, {
      body: { invitations: [{ clientId: "shop-web", email, metadata: { lastName: "Mu\u0308ller" } }] },
    });
    expect(batch.body.results[0].status).toBe(201);
    expect(await metadataOf(email)).toEqual({ lastName: "Müller" });
  });
});

describe("console CSV upload", () => {
  async function upload(csv: string | Uint8Array<ArrayBuffer>) {
    await admin.get(`${CONSOLE}/bulk`);
    const form = new FormData();
    form.append("file", new Blob([csv], { type: "text/csv" }), "invitees.csv");
    return admin.postMultipart(`${CONSOLE}/bulk`, form);
  }

  test.each(HOSTILE_UTF8)("%s in a cell: the row is not created and its reason names the column", async (_name, c) => {
    const before = await stored();
    const email = uniqueEmail("csv");
    const res = await upload(`${HEADER}\r\n${email},,,shop-web,,,"Ja${c}ne",Doe,,\r\n`);
    expect(res.status).toBe(200);
    expect(res.text).toContain("Created: 0. Not created: 1.");
    const row = /<tr><td>2<\/td>([\s\S]*?)<\/tr>/
      .exec(res.html)?.[1]
      ?.replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " ")
      .trim();
    expect(row).toBe(`${email} Not created firstName : Holds a line break, a tab or another invisible control character. Remove it.`);
    expect(await stored()).toEqual(before);
  });

  test("a file with a lone surrogate is not UTF-8: refused as a whole", async () => {
    const before = await stored();
    const bytes = new TextEncoder().encode(`${HEADER}\n${uniqueEmail("csv")},,,shop-web,,,Ja?ne,,,\n`);
    const at = bytes.indexOf(0x3f); // "?": replaced by the bytes a lone U+D800 would have (ED A0 80)
    const bad = new Uint8Array([...bytes.slice(0, at), 0xed, 0xa0, 0x80, ...bytes.slice(at + 1)]);
    const res = await upload(bad);
    expect(res.status).toBe(400);
    expect(res.text).toContain("The file is not UTF-8 text.");
    expect(await stored()).toEqual(before);
  });

  test("stores NFC text", async () => {
    const email = uniqueEmail("csv-nfc");
    const res = await upload(`${HEADER}\n${email},,,shop-web,,,Jose\u0301,,Cafe\u0301 Ltd,\n`);
    expect(res.text).toContain("Created: 1. Not created: 0.");
    expect(await metadataOf(email)).toEqual({ firstName: "José", companyName: "Café Ltd" });
  });
});

describe("console invite form", () => {
  const invite = (email: string, fields: Record<string, string>) => ({ email, language: "en-US", clientId: "shop-web", ...fields });

  test.each(HOSTILE_UTF8)("%s: 400 with the message beside the field, nothing stored", async (_name, c) => {
    await admin.get(`${CONSOLE}/new`);
    const before = await stored();
    const res = await admin.post(`${CONSOLE}/new`, invite(uniqueEmail("console"), { firstName: `Ja${c}ne`, companyName: "Initech" }));
    expect(res.status).toBe(400);
    const doc = dom(res.html);
    expect(textOf(doc, "#invite-firstName-error")).toBe(PAGE_MESSAGE);
    expect(doc.getElementById("invite-firstName")?.getAttribute("aria-invalid")).toBe("true");
    expect(doc.getElementById("invite-companyName")?.getAttribute("aria-invalid")).toBeNull();
    expect(await stored()).toEqual(before);
  });

  test("in French too", async () => {
    const fr = new HttpClient(env.server.url, { "accept-language": "fr-FR" });
    await fr.signIn();
    await fr.get(`${CONSOLE}/new`);
    const res = await fr.post(`${CONSOLE}/new`, invite(uniqueEmail("console-fr"), { lastName: "Du\u202Erand" }));
    expect(res.status).toBe(400);
    expect(textOf(dom(res.html), "#invite-lastName-error")).toBe(
      "Retirez les retours à la ligne, les tabulations et les autres caractères de contrôle invisibles.",
    );
  });

  test("stores NFC text", async () => {
    await admin.get(`${CONSOLE}/new`);
    const email = uniqueEmail("console-nfc");
    const res = await admin.post(`${CONSOLE}/new`, invite(email, { firstName: "Jose\u0301" }));
    expect(res.status).toBe(302);
    expect(await metadataOf(email)).toEqual({ firstName: "José" });
  });
});

describe("activation form", () => {
  test("every hostile character: 400 with the message beside the field, the account untouched; then NFC text is stored", async () => {
    const { email, link } = await invitedByEmail(env);
    const client = new HttpClient(env.server.url);
    const form = await openActivation(client, link);
    const account = await findAccountByIdentifier(env.server.services.db.kysely, "customers", { email });
    expect(account).toMatchObject({ status: "pending", profile: { firstName: "Ada", lastName: "Lovelace" } });

    for (const [name, c] of HOSTILE_UTF8) {
      const res = await client.post("/activate", filledForm(form.csrf!, { firstName: `Ja${c}ne` }));
      expect(res.status, name).toBe(400);
      const doc = dom(res.html);
      expect(textOf(doc, "#activate-firstName-error"), name).toBe(PAGE_MESSAGE);
      expect(
        [...doc.querySelectorAll("#error-summary li")].map((li) => li.textContent),
        name,
      ).toEqual([`First name: ${PAGE_MESSAGE}`]);
      expect(await findAccountByIdentifier(env.server.services.db.kysely, "customers", { email }), name).toEqual(account);
    }

    const done = await client.post("/activate", filledForm(form.csrf!, { firstName: "Jose\u0301", lastName: "Nun\u0303ez" }));
    expect(done.status).toBe(303);
    expect(await findAccountByIdentifier(env.server.services.db.kysely, "customers", { email })).toMatchObject({
      status: "active",
      profile: { firstName: "José", lastName: "Nuñez" },
    });
  });
});
