// The tenant configuration: the demo file is valid, bad files are refused with messages that name
// the bad path, the published JSON Schema matches the zod schema, secrets are hashed.
import { readFileSync, readdirSync, statSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { ConfigError, loadTenantConfig, parseTenantConfig, DEMO_CONFIG_PATH } from "../../server/config/load.js";
import { tenantJsonSchema } from "../../server/config/json-schema.js";
import { parseEnv, EnvError } from "../../server/env.js";
import { checkPacks } from "../../server/i18n/check.js";
import { readPacks } from "../../server/i18n/registry.js";
import { openDatabase } from "../../server/store/database.js";

const execFileAsync = promisify(execFile);
import { demoConfig, secretHash, type RawConfig } from "../support/config.js";

function problemsOf(edit: (c: RawConfig) => void): string[] {
  const raw = demoConfig();
  edit(raw);
  try {
    parseTenantConfig(raw, "tenant.json");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected the configuration to be refused");
}

test("the demo configuration in the repository is valid", () => {
  const tenant = loadTenantConfig(DEMO_CONFIG_PATH);
  expect(tenant.client("shop-web")?.application.id).toBe("shop");
  expect(tenant.client("partner-portal")?.application.organizational).toBe(true);
});

test.each([
  [
    "a client redirect URI that is not a URL",
    (c: RawConfig) => (c.applications[0].clients[0].redirectUris = ["not a url"]),
    "applications[0].clients[0].redirectUris[0]",
  ],
  [
    "a secret in clear instead of a hash",
    (c: RawConfig) => (c.applications[0].clients[0].secretHash = "hunter2"),
    "applications[0].clients[0].secretHash",
  ],
  ["an unknown brand", (c: RawConfig) => (c.applications[0].brand = "nope"), "applications[0].brand: unknown brand 'nope'"],
  ["an application group the store lacks", (c: RawConfig) => (c.applications[0].groups = ["ghost"]), "applications[0].groups[0]"],
  ["a misspelt key", (c: RawConfig) => (c.identityStores[0].invitationTTL = 3), "identityStores[0]"],
  ["a bad colour", (c: RawConfig) => (c.brands[0].primaryColor = "blue"), "brands[0].primaryColor"],
  [
    "a duplicate client id",
    (c: RawConfig) => c.applications[1].clients.push({ ...c.applications[0].clients[0] }),
    "duplicate clientId 'shop-web'",
  ],
  ["an unknown admin scope", (c: RawConfig) => (c.adminTokens[0].scopes = ["root"]), "adminTokens[0].scopes[0]"],
  ["sms on a store without PHONE", (c: RawConfig) => (c.identityStores[0].identifiers = ["EMAIL"]), "applications[0].clients[0].authTypes"],
])("refuses %s, naming the path", (_name, edit, where) => {
  expect(problemsOf(edit).join("\n")).toContain(where);
});

test("a missing or broken file is a clear error", () => {
  expect(() => loadTenantConfig("/nonexistent/tenant.json")).toThrow(/cannot read the file/);
  const dir = mkdtempSync(path.join(tmpdir(), "cfg-"));
  writeFileSync(path.join(dir, "t.json"), "{ nope");
  expect(() => loadTenantConfig(path.join(dir, "t.json"))).toThrow(/not valid JSON/);
});

test("the server refuses to start with an invalid configuration and says why", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "cfg-"));
  const raw = demoConfig();
  raw.applications[0].clients[0].redirectUris = ["nope"];
  writeFileSync(path.join(dir, "t.json"), JSON.stringify(raw));
  const run = spawnSync("npx", ["tsx", "server/index.ts"], {
    env: { ...process.env, INVITE_CONFIG: path.join(dir, "t.json"), DATA_DIR: dir, PORT: "0", DATABASE_URL: `file:${dir}/db.sqlite` },
    encoding: "utf8",
    timeout: 30_000,
  });
  expect(run.status).toBe(2);
  expect(run.stderr).toContain("applications[0].clients[0].redirectUris[0]");
});

test("config/tenant.schema.json is the one generated from the zod schema (npm run config:schema)", () => {
  const committed = JSON.parse(readFileSync("config/tenant.schema.json", "utf8"));
  expect(committed).toEqual(tenantJsonSchema());
});

test("npm run secret prints a secret and the hash the configuration stores", () => {
  const out = execFileSync("npx", ["tsx", "scripts/secret.ts"], { encoding: "utf8" });
  const secret = /secret: (\S+)/.exec(out)![1]!;
  const hash = /hash: +(sha256:[0-9a-f]{64})/.exec(out)![1]!;
  expect(secret.length).toBeGreaterThanOrEqual(40);
  expect(secretHash(secret)).toBe(hash);
});

describe("environment", () => {
  test("production with a real configuration refuses to start without SESSION_SECRET, and only for that", () => {
    expect(() => parseEnv({ NODE_ENV: "production", INVITE_CONFIG: "x.json" })).toThrow(EnvError);
    expect(() => parseEnv({ NODE_ENV: "production", INVITE_CONFIG: "x.json" })).toThrow(/Production needs SESSION_SECRET/);
    const env = parseEnv({ NODE_ENV: "production", INVITE_CONFIG: "x.json", SESSION_SECRET: "s".repeat(32), PORT: "8080" });
    expect(env).toMatchObject({ devTools: false, publicUrl: "http://localhost:8080" });
    expect(() => parseEnv({ SESSION_SECRET: "short" })).toThrow(/at least 32 characters/);
  });
  test("defaults are the README's; the session keys rotate newest first", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "env-"));
    const env = parseEnv({ DATA_DIR: dir });
    expect(env).toMatchObject({
      port: 3000,
      host: "127.0.0.1",
      publicUrl: "http://localhost:3000",
      databaseUrl: `file:${path.join(dir, "invite.db")}`,
      mailFrom: "no-reply@localhost",
      demo: true,
    });
    // The development secret is generated once and kept.
    expect(parseEnv({ DATA_DIR: dir }).sessionSecrets).toEqual(env.sessionSecrets);
    const prod = parseEnv({ NODE_ENV: "production", SESSION_SECRET: `${"a".repeat(32)},${"b".repeat(32)}` });
    expect(prod.host).toBe("0.0.0.0");
    expect(prod.sessionSecrets).toEqual(["a".repeat(32), "b".repeat(32)]);
  });
  test("the development secret is private, replaces a file too short to be one, and is one for processes started together", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "env-"));
    const [made] = parseEnv({ DATA_DIR: dir }).sessionSecrets;
    expect(made!.length).toBeGreaterThanOrEqual(32);
    expect(readdirSync(dir)).toEqual(["session-secret"]);
    expect(statSync(path.join(dir, "session-secret")).mode & 0o777).toBe(0o600);
    writeFileSync(path.join(dir, "session-secret"), "cut short");
    const [replaced] = parseEnv({ DATA_DIR: dir }).sessionSecrets;
    expect(replaced!.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(path.join(dir, "session-secret"), "utf8")).toBe(replaced);
    expect(readdirSync(dir)).toEqual(["session-secret"]);

    const fresh = mkdtempSync(path.join(tmpdir(), "env-"));
    const code = "import { parseEnv } from './server/env.ts'; console.log(parseEnv({ DATA_DIR: process.argv[1] }).sessionSecrets[0])";
    const secrets = await Promise.all(
      Array.from({ length: 4 }, () => execFileAsync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code, fresh])),
    );
    expect(new Set(secrets.map((r) => r.stdout.trim())).size).toBe(1);
    expect(readFileSync(path.join(fresh, "session-secret"), "utf8")).toBe(secrets[0]!.stdout.trim());
  });
  test("without DATABASE_URL the SQLite file is made in DATA_DIR; DATABASE_URL still wins", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "env-")), "state");
    const db = await openDatabase(parseEnv({ DATA_DIR: dir }).databaseUrl);
    await db.close();
    expect(readdirSync(dir)).toContain("invite.db");
    const elsewhere = path.join(mkdtempSync(path.join(tmpdir(), "env-")), "other.db");
    expect(parseEnv({ DATA_DIR: dir, DATABASE_URL: `file:${elsewhere}` }).databaseUrl).toBe(`file:${elsewhere}`);
  });
});

describe("locale packs check", () => {
  test("the shipped packs pass", () => {
    expect(checkPacks(readPacks()).filter((f) => f.level === "error")).toEqual([]);
  });
  test("reports missing and extra keys and broken placeholders", () => {
    const packs = {
      "en-US": { email: { activation: { subject: "Activate your {{brand}} account", intro: "Hi" } } },
      "fr-FR": { email: { activation: { subject: "Activez votre compte {{marque}}", extra: "x" } } },
    };
    const messages = checkPacks(packs).map((f) => `${f.level} ${f.where}: ${f.message}`);
    expect(messages).toContain("error fr-FR/email: missing key 'activation.intro'");
    expect(messages).toContain("error fr-FR/email: extra key 'activation.extra' (not in en-US)");
    expect(messages).toContain("error fr-FR/email: 'activation.subject' uses unknown placeholder {{marque}}");
  });
  test("reports every language's incomplete packs, per namespace; only the operators' namespaces may be left out", () => {
    const en = {
      common: { productName: "Account activation", skipToContent: "Skip to content" },
      journey: { done: { title: "Done", body: "Go on to {{brand}}." } },
      email: { activation: { subject: "Activate your {{brand}} account", intro: "Hi" } },
      admin: { product: "Console" },
      dev: { title: "Mailbox" },
    };
    const packs = {
      "en-US": en,
      // A partial language: not one of the complete ones, still held to what an invitee reads.
      ar: { common: { productName: "تفعيل الحساب" }, journey: { done: { title: "تم" } } },
      "de-DE": { common: en.common, journey: en.journey, email: en.email, admin: {} },
    };
    const messages = checkPacks(packs).map((f) => `${f.level} ${f.where}: ${f.message}`);
    expect(messages.filter((m) => m.includes(" ar/") || m.includes(" de-DE/")).sort()).toEqual([
      "error ar/common: missing key 'skipToContent'",
      "error ar/email: namespace missing",
      "error ar/journey: missing key 'done.body'",
      "error de-DE/admin: missing key 'product'",
      "warning ar/admin: namespace missing (shown in en-US)",
      "warning ar/dev: namespace missing (shown in en-US)",
      "warning de-DE/dev: namespace missing (shown in en-US)",
    ]);
    // The complete languages ship every namespace.
    const fr = checkPacks({ "en-US": en, "fr-FR": { common: en.common, journey: en.journey, email: en.email } });
    expect(fr.map((f) => `${f.level} ${f.where}: ${f.message}`).sort()).toEqual([
      "error fr-FR/admin: namespace missing",
      "error fr-FR/dev: namespace missing",
    ]);
  });
  test("checks brand overrides too", () => {
    const raw = demoConfig();
    raw.brands[0].locales = { "en-US": { email: { "activation.subject": "Welcome to {{brnd}}", "activation.nope": "x" } } };
    const tenant = parseTenantConfig(raw);
    const messages = checkPacks(readPacks(), tenant.config).map((f) => f.message);
    expect(messages).toContain("'activation.subject' uses unknown placeholder {{brnd}}");
    expect(messages).toContain("extra key 'activation.nope' (not in en-US)");
  });
});
