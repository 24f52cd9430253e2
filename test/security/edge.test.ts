// What the edge in front of every page guarantees: a post larger than its form is refused while it
// streams (413, the connection closed, the rest never read), and no response that carries a
// person's data or a token may be kept by a cache.
import fs from "node:fs";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { HttpClient } from "../support/http.js";
import { STORE_PATH } from "../admin/helpers.js";
import { DEMO_ADMIN_TOKEN } from "../support/config.js";
import { invitedByEmail, openActivation, pathOf } from "../journey/support.js";
import { useTestEnv } from "../support/env.js";

const env = useTestEnv();

/**
 * Streams up to `totalBytes` of a urlencoded body without a Content-Length, as an attacker would,
 * and reports the answer and how much the server let it send before answering.
 */
function streamHugeForm(path: string, totalBytes: number): Promise<{ status: number | undefined; sentBytes: number; ms: number }> {
  const url = new URL(path, env.server.url);
  const started = Date.now();
  return new Promise((resolve) => {
    let sent = 0;
    let status: number | undefined;
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      resolve({ status, sentBytes: sent, ms: Date.now() - started });
    };
    const req = httpRequest(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" },
    });
    req.on("response", (res) => {
      status = res.statusCode;
      res.resume();
      res.on("end", settle);
    });
    req.on("error", settle);
    req.on("close", settle);
    const chunk = Buffer.alloc(64 * 1024, "a");
    const pump = () => {
      while (sent < totalBytes && !settled && status === undefined) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (sent >= totalBytes) req.end();
    };
    req.write("csrf=x&field=");
    pump();
  });
}

it.each(["/activate", "/admin/sign-in", "/invite/anything", "/i/anything", "/admin/stores/customers/invitations/new"])(
  "a page post far over its cap is refused with 413 while it streams, the rest never read: %s",
  async (path) => {
    const total = 160 * 1024 * 1024;
    const result = await streamHugeForm(path, total);
    expect(result.status).toBe(413);
    // The socket buffers hold a few MiB at most; the server stopped reading long before the end.
    expect(result.sentBytes).toBeLessThan(16 * 1024 * 1024);
  },
);

it("a declared Content-Length over the cap is refused before any of the body is read", async () => {
  const res = await fetch(`${env.server.url}/activate`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" },
    body: `csrf=x&f=${"a".repeat(40 * 1024)}`,
  });
  expect(res.status).toBe(413);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
});

it("a form just under the cap is read and judged by its page as usual", async () => {
  const res = await fetch(`${env.server.url}/activate`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" },
    body: `csrf=x&f=${"a".repeat(30 * 1024)}`,
  });
  expect(res.status).toBe(404);
  expect(res.headers.get("content-type")).toMatch(/^text\/html/);
});

it("a cross-origin post without Sec-Fetch-Site (older browsers, scripts) is refused with 403 on every page", async () => {
  for (const path of ["/activate", "/admin/sign-in", "/admin/sign-out", "/invite/x", "/i/x"]) {
    const res = await fetch(`${env.server.url}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      body: "csrf=x",
    });
    expect(res.status, path).toBe(403);
  }
});

it("every response that names a person or carries a token is no-store: pages, their .data and the APIs", async () => {
  const { link } = await invitedByEmail(env);
  const client = new HttpClient(env.server.url);
  const form = await openActivation(client, link);
  expect(form.status).toBe(200);
  const admin = new HttpClient(env.server.url);
  await admin.signIn();
  const list = await fetch(`${env.server.url}${STORE_PATH}/invite`, { headers: { authorization: `Bearer ${DEMO_ADMIN_TOKEN}` } });
  const invitation = ((await list.json()) as { items: { id: string }[] }).items[0]!.id;

  const journey: [string, Record<string, string>][] = [
    ["/activate", {}],
    ["/activate.data", {}],
    [pathOf(link), {}],
    [`${pathOf(link)}.data`, {}],
  ];
  const consolePaths = [
    "/admin",
    "/admin.data",
    "/admin/stores/customers/invitations",
    "/admin/stores/customers/invitations.data",
    `/admin/stores/customers/invitations/${invitation}`,
    `/admin/stores/customers/invitations/${invitation}.data`,
    "/admin/stores/customers/accounts",
    "/admin/stores/customers/accounts.data",
  ];
  const seen: string[] = [];
  for (const [path] of journey) {
    const res = await client.get(path);
    seen.push(`${path} ${res.status} ${res.headers.get("cache-control")}`);
  }
  for (const path of consolePaths) {
    const res = await fetch(`${env.server.url}${path}`, { headers: { cookie: admin.cookieHeader }, redirect: "manual" });
    seen.push(`${path} ${res.status} ${res.headers.get("cache-control")}`);
  }
  for (const path of [`${STORE_PATH}/invite`, `${STORE_PATH}/invite/${invitation}`, `${STORE_PATH}/accounts`, "/healthz"]) {
    const res = await fetch(`${env.server.url}${path}`, { headers: { authorization: `Bearer ${DEMO_ADMIN_TOKEN}` } });
    seen.push(`${path} ${res.status} ${res.headers.get("cache-control")}`);
  }
  const pre = await fetch(`${env.server.url}/idp/v1/account/pre-register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  seen.push(`pre-register ${pre.status} ${pre.headers.get("cache-control")}`);
  expect(seen.filter((line) => !/ no-store$/.test(line))).toEqual([]);
  expect(seen.filter((line) => / 200 /.test(line)).length).toBeGreaterThan(10);
});

it("fingerprinted scripts stay cacheable", async () => {
  const page = await new HttpClient(env.server.url).get("/admin/sign-in");
  const script = /"(\/build\/[^"]+\.js)"/.exec(page.html)?.[1];
  expect(script).toBeDefined();
  const res = await fetch(`${env.server.url}${script}`);
  expect(res.headers.get("cache-control")).toMatch(/immutable/);
});

it("public files are served, and a page's address is never looked for among them on disk first", async () => {
  const stat = vi.spyOn(fs, "stat");
  try {
    const icon = await fetch(`${env.server.url}/favicon.svg`);
    expect([icon.status, icon.headers.get("cache-control")]).toEqual([200, "public, max-age=3600"]);
    expect((await fetch(`${env.server.url}/brand/acme.svg`)).status).toBe(200);
    stat.mockClear();
    const page = await fetch(`${env.server.url}/invite/anything`);
    await page.arrayBuffer();
    expect(page.status).toBe(404);
    expect(stat.mock.calls.map(([file]) => String(file)).filter((file) => file.includes("public"))).toEqual([]);
  } finally {
    stat.mockRestore();
  }
});

/** A request as raw bytes, for what fetch will not send (odd request targets, a broken Host). */
function rawRequest(head: string): Promise<string> {
  const { port } = new URL(env.server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1", () => socket.write(`${head}\r\nConnection: close\r\n\r\n`));
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString("latin1")));
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
  });
}

it.each([
  ["a target that is not a path", "GET //[ HTTP/1.1\r\nHost: localhost"],
  ["an asterisk target", "GET * HTTP/1.1\r\nHost: localhost"],
  ["a Host with a space", "GET /activate HTTP/1.1\r\nHost: a b"],
  ["a Host that is not one", "GET /invite/x HTTP/1.1\r\nHost: [zz"],
  [
    "a page post with a broken Host",
    "POST /admin/sign-in HTTP/1.1\r\nHost: [zz\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 0",
  ],
])("an address that does not parse is the client's error, never a 500: %s", async (_label, head) => {
  const answer = await rawRequest(head);
  expect(answer).toMatch(/^HTTP\/1\.1 4\d\d /);
});
