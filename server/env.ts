// The process environment (the README's "Environment"), parsed once at start-up.
import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import express from "express";
import { z } from "zod";
import { DEMO_CONFIG_PATH, describeIssues } from "./config/load.js";

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, "must start with file: or postgres://")
    .optional(),
  INVITE_CONFIG: z.string().min(1).optional(),
  SESSION_SECRET: z.string().optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be smtp:// or smtps://")
    .optional(),
  MAIL_FROM: z.string().min(3).default("no-reply@localhost"),
  SMS_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  OUTBOX_WORKER: z.enum(["on", "off"]).default("on"),
  METRICS_TOKEN: z
    .string()
    .optional()
    .transform((t) => t?.trim() || undefined)
    .refine((t) => t === undefined || t.length >= 32, "must be at least 32 characters (npm run secret makes one)"),
  TRUST_PROXY: z
    .string()
    .default("loopback")
    .transform((text, ctx) => {
      try {
        return parseTrustProxy(text);
      } catch (error) {
        ctx.issues.push({ code: "custom", input: text, message: (error as Error).message });
        return z.NEVER;
      }
    }),
});

/**
 * TRUST_PROXY: which peers may tell the client's address (X-Forwarded-For) and protocol
 * (X-Forwarded-Proto). A hop count ("1": the nearest peer, whoever it is; "0": nobody), or a
 * comma-separated list of addresses, CIDR ranges and Express's names (loopback, linklocal,
 * uniquelocal). The list is compiled by Express itself, so what passes here is what it will use.
 */
export function parseTrustProxy(text: string): number | string {
  const hint = "expected a hop count (0, 1, 2…) or a comma-separated list of addresses, CIDR ranges, loopback, linklocal, uniquelocal";
  const value = text.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(",").map((entry) => entry.trim());
  if (entries.some((entry) => !entry)) throw new Error(`empty entry; ${hint}`);
  const list = entries.join(", ");
  try {
    express().set("trust proxy", list);
  } catch (error) {
    // proxy-addr's words: "invalid IP address: nope", "invalid range on address: 10.0.0.0/33".
    throw new Error(`${(error as Error).message}; ${hint}`);
  }
  return list;
}

export interface Env {
  mode: "development" | "production" | "test";
  /** True when the demo configuration is in use (no INVITE_CONFIG): the dev mailbox and stand-in IdP are served. */
  demo: boolean;
  /** The dev mailbox and /dev pages: never for a real tenant in production. */
  devTools: boolean;
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string;
  configPath: string;
  /** First one seals, all unseal: rotation without logging anyone out. */
  sessionSecrets: string[];
  smtpUrl?: string;
  mailFrom: string;
  smsWebhookUrl?: string;
  dataDir: string;
  /** Express's "trust proxy": a hop count or a list of trusted proxy addresses (TRUST_PROXY). */
  trustProxy: number | string;
  /**
   * Whether this web process delivers the outbox itself (OUTBOX_WORKER, "on" by default); "off" when
   * `npm run worker` runs it in a process of its own (docs/operations.md).
   */
  outboxWorker: boolean;
  /** The bearer token GET /metrics asks for; unset, there is no /metrics (METRICS_TOKEN). */
  metricsToken?: string;
  /** Any other variable of the same environment, by name (webhook signing secrets, docs/webhooks.md). */
  variable(name: string): string | undefined;
}

export class EnvError extends Error {
  override name = "EnvError";
}

function devSessionSecret(dataDir: string): string {
  const file = path.join(dataDir, "session-secret");
  const read = () => {
    try {
      return readFileSync(file, "utf8").trim();
    } catch {
      return "";
    }
  };
  const existing = read();
  if (existing.length >= 32) return existing;
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  // Written whole under another name, then put in place, so no process ever reads half of it. Where
  // there was none, it is linked in only if still absent: the web process and `npm run worker`,
  // started together, agree on the first one. A file too short to be a secret (a write cut short)
  // is replaced, as is everything on a file system without hard links.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(draft, secret, { mode: 0o600 });
  try {
    if (!existing) {
      try {
        linkSync(draft, file);
        return secret;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") {
          const theirs = read();
          if (theirs.length >= 32) return theirs;
        }
      }
    }
    renameSync(draft, file);
    return secret;
  } finally {
    rmSync(draft, { force: true });
  }
}

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) throw new EnvError(`Invalid environment:\n  - ${describeIssues(result.error.issues).join("\n  - ")}`);
  const e = result.data;
  const demo = !e.INVITE_CONFIG;
  const production = e.NODE_ENV === "production";
  const secrets = (e.SESSION_SECRET ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (secrets.some((s) => s.length < 32)) throw new EnvError("SESSION_SECRET: every key must be at least 32 characters");
  // The one thing production cannot do without: the key that seals sessions and waiting links.
  // (A missing SMTP_URL or SMS_WEBHOOK_URL does not stop it: those messages wait in the outbox.)
  if (production && !demo && secrets.length === 0)
    throw new EnvError("Production needs SESSION_SECRET: at least 32 characters (npm run secret makes one; see README, Environment)");
  const host = e.HOST ?? (production ? "0.0.0.0" : "127.0.0.1");
  return {
    mode: e.NODE_ENV,
    demo,
    devTools: !production || demo,
    port: e.PORT,
    host,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    // Without DATABASE_URL the SQLite file lives in DATA_DIR, beside the development secret.
    databaseUrl: e.DATABASE_URL ?? `file:${path.join(e.DATA_DIR, "invite.db")}`,
    configPath: e.INVITE_CONFIG ?? DEMO_CONFIG_PATH,
    sessionSecrets: secrets.length ? secrets : [devSessionSecret(e.DATA_DIR)],
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    smsWebhookUrl: e.SMS_WEBHOOK_URL,
    dataDir: e.DATA_DIR,
    trustProxy: e.TRUST_PROXY,
    outboxWorker: e.OUTBOX_WORKER === "on",
    metricsToken: e.METRICS_TOKEN,
    variable: (name) => source[name],
  };
}
