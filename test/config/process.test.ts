// The process as it runs in production: compiled JavaScript (build/server.js, made by npm run
// build), an access log that never carries a link token or an address, a request id on every
// answer, a stop that lets requests in flight finish, and, in development, a page build that is
// imported again only when it changed.
import { spawn } from "node:child_process";
import { mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createLogger } from "../../server/lib/logger.js";
import { latestBuild } from "../../server/startup.js";
import { basicAuth, DEMO_SECRETS } from "../support/config.js";
import { startTestServer } from "../support/server.js";
import { SmtpListener } from "../support/smtp.js";

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

it("the access log names each request by id, method, path and status, never with a token, a query or an address", async () => {
  const lines: string[] = [];
  const server = await startTestServer({ log: createLogger((line) => lines.push(line)) });
  try {
    const token = "A".repeat(32);
    const given = await fetch(`${server.url}/invite/${token}?lng=fr-FR`, { headers: { "x-request-id": "req-from-proxy.1" } });
    expect(given.headers.get("x-request-id")).toBe("req-from-proxy.1");
    const made = await fetch(`${server.url}/admin/api/v1/identityStores/customers/invite?email=jane%40example.com`);
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    await fetch(`${server.url}/i/${token}`);
    // Other spellings of a link's address reach the same pages: none carries the token into the log.
    for (const spelling of [`/Invite/${token}`, `/I/${token}`, `/x/../invite/${token}`, `/%69nvite/${token}`])
      await fetch(`${server.url}${spelling}`);

    const access = lines
      .map((l) => JSON.parse(l) as { event: string; req?: { id: string; path: string }; res?: { status: number } })
      .filter((e) => e.event === "http.request");
    expect(access.slice(0, 3).map((e) => [e.req?.path, e.res?.status])).toEqual([
      ["/invite/:token", 404],
      ["/admin/api/v1/identityStores/customers/invite", 401],
      ["/i/:token", 404],
    ]);
    expect(access).toHaveLength(7);
    expect(access[0]!.req!.id).toBe("req-from-proxy.1");
    const all = lines.join("\n");
    expect(all).not.toContain(token);
    expect(all).not.toContain("jane");
    expect(all).not.toContain("example.com");
  } finally {
    await server.close();
  }
});

it(
  "production runs the compiled server, and a stop lets a request in flight finish before the database closes",
  { timeout: 120_000 },
  async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(tmpdir(), "invite-process-"));
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir };
    for (const name of ["INVITE_CONFIG", "DATABASE_URL", "SMTP_URL", "SMS_WEBHOOK_URL", "SESSION_SECRET"]) delete env[name];
    const child = spawn(process.execPath, ["build/server.js"], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      await expect.poll(() => output.includes("server.listening"), { timeout: 60_000, interval: 100 }).toBe(true);

      // A pre-register whose body arrives in two halves, the stop signal between them.
      const body = JSON.stringify({
        client_id: "shop-web",
        scope: "openid",
        redirect_uri: "https://shop.acme.example/callback",
        auth_type: "email",
        grant_type: "password",
        profile_fields: { emailAddress: "in-flight@example.com", firstName: "Ada", lastName: "Lovelace" },
      });
      const answer = new Promise<number | undefined>((resolve, reject) => {
        const req = httpRequest(
          {
            host: "127.0.0.1",
            port,
            path: "/idp/v1/account/pre-register",
            method: "POST",
            headers: {
              "content-type": "application/json",
              "content-length": Buffer.byteLength(body),
              authorization: basicAuth("shop-web", DEMO_SECRETS["shop-web"]),
            },
          },
          (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode));
          },
        );
        req.on("error", reject);
        req.write(body.slice(0, 40));
        setTimeout(() => {
          child.kill("SIGTERM");
          setTimeout(() => req.end(body.slice(40)), 300);
        }, 200);
      });
      expect(await answer).toBe(201);
      expect(await exited).toBe(0);
      const events = output
        .split("\n")
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { event: string }).event);
      // Stopping began before the request was answered, and the database closed after it.
      const stopping = events.indexOf("server.stopping");
      expect(stopping).toBeGreaterThan(-1);
      expect(events.lastIndexOf("http.request")).toBeGreaterThan(stopping);
      expect(events.at(-1)).toBe("server.stopped");
    } finally {
      child.kill("SIGKILL");
    }
  },
);

/** A compiled entry (build/server.js, build/worker.js) as npm start / npm run worker run it, its JSON log collected. */
function runEntry(entry: string, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [entry], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

it("npm run worker delivers what web processes with OUTBOX_WORKER=off queue, and stops gracefully", { timeout: 120_000 }, async () => {
  const smtp = await new SmtpListener().start();
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), "invite-worker-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    SMTP_URL: smtp.url,
    SMS_WEBHOOK_URL: "http://127.0.0.1:9/sms",
    OUTBOX_WORKER: "off",
  };
  for (const name of ["INVITE_CONFIG", "DATABASE_URL", "SESSION_SECRET"]) delete env[name];
  const web = runEntry("build/server.js", env);
  let worker: ReturnType<typeof runEntry> | undefined;
  try {
    await expect.poll(() => web.output().includes("server.listening"), { timeout: 60_000, interval: 100 }).toBe(true);
    const res = await fetch(`http://127.0.0.1:${port}/idp/v1/account/pre-register`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: basicAuth("shop-web", DEMO_SECRETS["shop-web"]) },
      body: JSON.stringify({
        client_id: "shop-web",
        scope: "openid",
        redirect_uri: "https://shop.acme.example/callback",
        auth_type: "email",
        grant_type: "password",
        profile_fields: { emailAddress: "queued@example.com", firstName: "Ada", lastName: "Lovelace" },
      }),
    });
    expect(res.status).toBe(201);
    // The web process sends nothing itself: the message waits in the outbox.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(smtp.mails).toHaveLength(0);

    // The worker process takes it from the shared database, and its link opens the web process's page.
    worker = runEntry("build/worker.js", env);
    await expect.poll(() => smtp.mails.length, { timeout: 30_000, interval: 100 }).toBe(1);
    expect(smtp.mails[0]!.to).toContain("queued@example.com");
    const landing = await fetch(`http://127.0.0.1:${port}${new URL(smtp.mails[0]!.link!).pathname}`);
    expect(landing.status).toBe(200);

    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    const events = worker
      .output()
      .split("\n")
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { event: string }).event);
    expect(events).toContain("worker.started");
    expect(events.at(-1)).toBe("worker.stopped");
  } finally {
    web.child.kill("SIGKILL");
    worker?.child.kill("SIGKILL");
    await smtp.stop();
  }
});

it("where messages go to the dev mailbox, only the web process may send them: npm run worker and OUTBOX_WORKER=off are refused", async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "invite-worker-"));
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", DATA_DIR: dataDir, PORT: String(await freePort()) };
  for (const name of ["INVITE_CONFIG", "DATABASE_URL", "SMTP_URL", "SMS_WEBHOOK_URL", "SESSION_SECRET"]) delete env[name];
  const worker = runEntry("build/worker.js", env);
  expect(await worker.exited).toBe(2);
  expect(worker.output()).toContain("OUTBOX_WORKER=on");
  const web = runEntry("build/server.js", { ...env, OUTBOX_WORKER: "off" });
  expect(await web.exited).toBe(2);
  expect(web.output()).toContain("OUTBOX_WORKER=off needs SMTP_URL and SMS_WEBHOOK_URL");
});

it("in development the page build is imported again only when its file changed", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "invite-build-"));
  const file = path.join(dir, "index.js");
  writeFileSync(file, "export const version = 1;\n");
  const build = latestBuild(file);
  const first = await build();
  expect(await build()).toBe(first);
  expect(await build()).toBe(first);
  writeFileSync(file, "export const version = 2;\n");
  const later = new Date(Date.now() + 5_000);
  utimesSync(file, later, later);
  const second = await build();
  expect(second).not.toBe(first);
  expect((second as unknown as { version: number }).version).toBe(2);
});
