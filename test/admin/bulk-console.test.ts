// "Invite from a CSV file" in the console over plain HTTP, as a browser without JavaScript uses it
// (docs/admin-api.md): the page and its example file, an upload with one result per row and the totals, the
// localized errors of a file that cannot be used, CSRF and read-only tokens.
import { readFileSync } from "node:fs";
import { DEMO_READONLY_TOKEN } from "../support/config.js";
import { HttpClient } from "../support/http.js";
import { countRows, uniqueEmail } from "./helpers.js";
import { useTestEnv } from "../support/env.js";

const STORE = "/admin/stores/customers";
const BULK = `${STORE}/invitations/bulk`;
const HEADER = "email,language,organization,clientId,role,groups,firstName,lastName,companyName,jobTitle";

async function mailTo(email: string) {
  const deadline = Date.now() + 15_000;
  while (!smtp.to(email).length) {
    if (Date.now() > deadline) throw new Error(`no mail to ${email}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return smtp.to(email);
}

async function signedIn(token?: string, headers?: Record<string, string>) {
  const client = new HttpClient(server.url, headers);
  expect((await client.signIn(token)).status).toBe(302);
  return client;
}

function csvForm(content: string | Uint8Array<ArrayBuffer>, name = "invitees.csv"): FormData {
  const form = new FormData();
  form.append("file", new Blob([content], { type: "text/csv" }), name);
  return form;
}

/** Uploads a file from the page, the way the browser does after showing the form. */
async function upload(client: HttpClient, content: string | Uint8Array<ArrayBuffer>, path = BULK) {
  await client.get(path);
  return client.postMultipart(path, csvForm(content));
}

const { server, smtp } = useTestEnv();

test("the invitations list links to the page; the page documents the columns and offers the example file", async () => {
  const client = await signedIn();
  const list = await client.get(`${STORE}/invitations`);
  expect(list.html).toContain(`href="${BULK}"`);
  expect(list.text).toContain("Invite from a CSV file");

  const page = await client.get(BULK);
  expect(page.status).toBe(200);
  expect(page.text).toContain("Invite from a CSV file");
  expect(page.html).toMatch(/<form[^>]*enctype="multipart\/form-data"/i);
  expect(page.html).toMatch(/<input[^>]*type="file"/);
  for (const column of HEADER.split(",")) expect(page.html).toContain(`<code>${column}</code>`);
  expect(page.text).toContain("separated by ; (for example newsletter;beta)");
  expect(page.text).toContain("At most 1000 customers and 1 MiB per file.");

  const example = await fetch(`${server.url}/examples/bulk-invitations.csv`);
  expect(example.status).toBe(200);
  expect(example.headers.get("content-type")).toMatch(/^text\/csv/);
  expect((await example.text()).split("\n")[0]).toBe(HEADER);
});

test("an upload: one result per row in the file's order, the reasons in words, the totals; only good rows created and mailed", async () => {
  const client = await signedIn();
  const shop = uniqueEmail("csv-shop");
  const partner = uniqueEmail("csv-partner");
  const csv = [
    HEADER,
    `${shop},en-US,,shop-web,,,Robin,Smith,,`,
    `not-an-email,,,shop-web,,,,,,`,
    `${uniqueEmail("csv-saml")},,,shop-saml,,,,,,`,
    `${partner},fr-FR,northwind,partner-portal,buyer,newsletter;beta,Camille,Martin,"Northwind, Traders",Buyer`,
    `${shop.toUpperCase()},,,shop-web,,,,,,`,
    `${uniqueEmail("csv-group")},,,shop-web,,nope,,,,`,
    ``,
    `${uniqueEmail("csv-extra")},,,shop-web,,,,,,,surplus`,
  ].join("\r\n");
  const before = await countRows(server, "invitations");
  const res = await upload(client, csv);
  expect(res.status).toBe(200);
  expect(res.text).toContain("Results");
  expect(res.text).toContain("Rows handled: 7 in");
  expect(res.text).toContain("Created: 2. Not created: 5.");

  const rows = [...res.html.matchAll(/<tr><td>(\d+)<\/td>([\s\S]*?)<\/tr>/g)].map((m) => ({
    row: Number(m[1]),
    text: m[2]!
      .replace(/<[^>]+>/g, " ")
      .replace(/&#x27;/g, "'")
      .replace(/\s+/g, " ")
      .trim(),
  }));
  // The line where each row starts (a spreadsheet's row number): the blank line 8 is skipped, not reported.
  expect(rows.map((r) => r.row)).toEqual([2, 3, 4, 5, 6, 7, 9]);
  expect(rows[0]!.text).toBe(`${shop} Created`);
  expect(rows[1]!.text).toBe("not-an-email Not created email : The email address is missing or not valid.");
  expect(rows[2]!.text).toContain("clientId : Only OAuth2/OIDC clients can be used for invitations; SAML2 clients cannot.");
  expect(rows[3]!.text).toBe(`${partner} Created`);
  expect(rows[4]!.text).toContain("email : This customer already has a pending invitation. Resend or revoke it instead.");
  expect(rows[4]!.text).toContain("Open the pending invitation");
  expect(rows[5]!.text).toContain("groups : This group does not exist in the identity store.");
  expect(rows[6]!.text).toContain("This row has more cells than the header has columns.");

  expect(await countRows(server, "invitations")).toBe(before + 2);
  const created = await server.services.db.kysely
    .selectFrom("invitations")
    .selectAll()
    .where("email", "=", partner)
    .executeTakeFirstOrThrow();
  expect(created.organization).toBe("northwind");
  expect(created.language).toBe("fr-FR");
  expect(JSON.parse(created.groups as unknown as string)).toEqual([{ id: "newsletter" }, { id: "beta" }]);
  expect(JSON.parse(created.metadata as unknown as string)).toEqual({
    firstName: "Camille",
    lastName: "Martin",
    companyName: "Northwind, Traders",
    jobTitle: "Buyer",
  });
  // The created row links to its invitation.
  expect(res.html).toContain(`href="${STORE}/invitations/${created.id}"`);

  const [mail] = await mailTo(partner);
  expect(mail!.subject).toMatch(/Acme/);
  await mailTo(shop);
});

test("a line break inside a quoted cell: the rows after it keep the file's line numbers", async () => {
  const client = await signedIn();
  const after = uniqueEmail("csv-after");
  const csv = [HEADER, `${uniqueEmail("csv-crlf")},,,shop-web,,"newsletter\r\nbeta",,,,`, `${after},,,shop-web,,,,,,`].join("\r\n");
  const res = await upload(client, csv);
  expect(res.text).toContain("Created: 1. Not created: 1.");
  const rows = [...res.html.matchAll(/<tr><td>(\d+)<\/td>([\s\S]*?)<\/tr>/g)].map((m) => [
    Number(m[1]),
    m[2]!
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " ")
      .trim(),
  ]);
  expect(rows).toEqual([
    [2, expect.stringContaining("groups : Use group ids separated by ; (at most 50).")],
    [4, `${after} Created`],
  ]);
});

test("the example file itself uploads cleanly", async () => {
  const client = await signedIn();
  const example = readFileSync("public/examples/bulk-invitations.csv", "utf8");
  const res = await upload(client, example);
  expect(res.status).toBe(200);
  expect(res.text).toContain("Created: 3. Not created: 0.");
});

test("a file that cannot be used gets a localized error and changes nothing", async () => {
  const client = await signedIn();
  const before = await countRows(server, "invitations");
  const cases: [string | Uint8Array<ArrayBuffer>, number, string][] = [
    [`mail,clientId\n${uniqueEmail()},shop-web`, 400, "Unknown columns: mail. Use the column names listed on this page."],
    [`email,language\n${uniqueEmail()},en-US`, 400, "Required columns are missing: clientId."],
    [`email;clientId\n${uniqueEmail()};shop-web`, 400, "Separate the columns with commas, not semicolons or tabs."],
    [`email,clientId\n"${uniqueEmail()},shop-web`, 400, "The file is not valid CSV near line"],
    [HEADER, 400, "The file has a header row but no customers."],
    ["", 400, "The file is empty."],
    [new Uint8Array([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x0a, 0xff, 0xfe, 0x0a]), 400, 'The file is not UTF-8 text. Save it as "CSV UTF-8"'],
    [
      [HEADER, ...Array.from({ length: 1001 }, (_, i) => `over${i}@example.com,,,shop-web,,,,,,`)].join("\n"),
      400,
      "The file has 1001 customers; at most 1000 are accepted per file.",
    ],
    [`${HEADER}\n${"x".repeat(1100 * 1024)}`, 413, "The file is larger than 1 MiB. Split it into several files."],
  ];
  for (const [content, status, message] of cases) {
    const res = await upload(client, content);
    expect(res.status, message).toBe(status);
    expect(res.text).toContain("The file could not be used. Nobody was invited.");
    expect(res.text).toContain(message);
    // The form is shown again with the error tied to the file input.
    expect(res.html).toMatch(/<input[^>]*aria-invalid="true"[^>]*aria-describedby="bulk-file-hint bulk-file-error"/);
  }
  const none = await client.postMultipart(BULK, new FormData());
  expect(none.status).toBe(400);
  expect(none.text).toContain("Choose a CSV file.");
  expect(await countRows(server, "invitations")).toBe(before);
});

test("in French: the page, the results and the file errors", async () => {
  const client = await signedIn(undefined, { "accept-language": "fr-FR" });
  const page = await client.get(BULK);
  expect(page.text).toContain("Inviter depuis un fichier CSV");
  const bad = await client.postMultipart(BULK, csvForm(`mail,clientId\nx@example.com,shop-web`));
  expect(bad.status).toBe(400);
  expect(bad.text).toContain("Colonnes inconnues : mail.");
  const res = await upload(client, `email,clientId\n${uniqueEmail("fr")},shop-web\nnope,shop-web`);
  expect(res.text).toContain("Créées : 1. Non créées : 1.");
  expect(res.text).toContain("L'adresse e-mail manque ou n'est pas valide.");
});

test("CSRF and scope: a forged or read-only upload is refused and creates nothing", async () => {
  const before = await countRows(server, "invitations");
  const client = await signedIn();
  await client.get(BULK);
  const forged = csvForm(`email,clientId\n${uniqueEmail()},shop-web`);
  forged.append("csrf", "not-the-token");
  const res = await client.postMultipart(BULK, forged);
  expect(res.status).toBe(403);
  expect(res.text).toContain("This form has expired");
  const crossSite = await client.postMultipart(BULK, csvForm(`email,clientId\n${uniqueEmail()},shop-web`), {
    "sec-fetch-site": "cross-site",
  });
  expect(crossSite.status).toBe(403);

  const reader = await signedIn(DEMO_READONLY_TOKEN);
  const list = await reader.get(`${STORE}/invitations`);
  expect(list.html).not.toContain(`href="${BULK}"`);
  const page = await reader.get(BULK);
  expect(page.status).toBe(403);
  expect(page.text).toContain("Not allowed with this token");
  const post = await reader.postMultipart(BULK, csvForm(`email,clientId\n${uniqueEmail()},shop-web`));
  expect(post.status).toBe(403);

  const anonymous = new HttpClient(server.url);
  const gate = await anonymous.postMultipart(BULK, csvForm(`email,clientId\n${uniqueEmail()},shop-web`));
  expect(gate.status).toBe(302);
  expect(gate.location).toMatch(/^\/admin\/sign-in/);
  expect(await countRows(server, "invitations")).toBe(before);
});
