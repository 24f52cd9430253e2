// Everything the API, the journey pages and the worker share, built once per process. Tests build
// it with their own database file, configuration, clock and transports.
import type { Env } from "./env.js";
import { ConfigError, loadTenantConfig, type Tenant } from "./config/load.js";
import { resolveWebhookEndpoints, Webhooks } from "./events/webhooks.js";
import { RateLimits } from "./http/rate-limits.js";
import { checkBrandOverrides } from "./i18n/check.js";
import { I18nRegistry } from "./i18n/registry.js";
import { Links } from "./invitations/links.js";
import { systemClock, type Clock } from "./lib/clock.js";
import { createLogger, type Logger } from "./lib/logger.js";
import { argon2id, type PasswordHasher } from "./lib/passwords.js";
import { createSealer, type Sealer } from "./lib/seal.js";
import { OutboxWorker, type WorkerOptions } from "./messaging/worker.js";
import {
  DevMailbox,
  smsWebhookTransport,
  smtpTransport,
  unconfiguredTransport,
  type EmailTransport,
  type SmsTransport,
} from "./messaging/transports.js";
import { createMetrics, type Metrics } from "./metrics.js";
import { openDatabase, type Db } from "./store/database.js";
import { outboxProbe } from "./store/outbox-stats.js";
import { latestMigration } from "./store/schema-state.js";

/**
 * Where one kind of message goes: its configured transport, the dev mailbox (development and the
 * demo), the outbox until the setting is given (a real tenant in production), or a transport the
 * caller passed in (tests).
 */
export type DeliveryRoute = "smtp" | "webhook" | "dev-mailbox" | "held-in-outbox" | "given";

export interface Delivery {
  mail: DeliveryRoute;
  sms: DeliveryRoute;
}

/** The one decision of where mail and SMS go; the transports and the start-up log both follow it. */
export function deliveryRoutes(env: Env, given: { email?: unknown; sms?: unknown } = {}): Delivery {
  const route = (isGiven: boolean, url: string | undefined, configured: DeliveryRoute): DeliveryRoute =>
    isGiven ? "given" : url ? configured : env.devTools ? "dev-mailbox" : "held-in-outbox";
  return { mail: route(!!given.email, env.smtpUrl, "smtp"), sms: route(!!given.sms, env.smsWebhookUrl, "webhook") };
}

export interface Services {
  env: Env;
  tenant: Tenant;
  db: Db;
  clock: Clock;
  sealer: Sealer;
  links: Links;
  i18n: I18nRegistry;
  log: Logger;
  passwords: PasswordHasher;
  worker: OutboxWorker;
  /** Invitation events for the configured webhooks (docs/webhooks.md). */
  webhooks: Webhooks;
  /** Where mail and SMS go (deliveryRoutes). */
  delivery: Delivery;
  /** Set when messages go to the dev mailbox (no SMTP_URL or no SMS_WEBHOOK_URL). */
  mailbox?: DevMailbox;
  /** Every rate limit (server/http/rate-limits.ts): shared by all instances on PostgreSQL. */
  rateLimits: RateLimits;
  /** This instance's metrics (GET /metrics). */
  metrics: Metrics;
  /** The last migration applied when this instance started: /readyz wants the database at least there. */
  schemaVersion: string | undefined;
  close(): Promise<void>;
}

export interface ServiceOverrides {
  tenant?: Tenant;
  clock?: Clock;
  log?: Logger;
  email?: EmailTransport;
  sms?: SmsTransport;
  passwords?: PasswordHasher;
  workerOptions?: WorkerOptions;
}

/**
 * The brands' locale overrides, checked as `npm run locales:check` checks them: a broken
 * placeholder, an unknown key or an unbalanced {{ would reach invitees as is, so production
 * refuses to start; development and tests warn, once per problem.
 */
function checkBrandLocales(env: Env, tenant: Tenant, i18n: I18nRegistry, log: Logger): void {
  const errors = checkBrandOverrides(i18n.shippedPacks, tenant.config).filter((f) => f.level === "error");
  if (errors.length === 0) return;
  if (env.mode === "production")
    throw new ConfigError(
      env.configPath,
      errors.map((f) => `${f.where}: ${f.message}`),
    );
  for (const f of errors)
    log.warn("i18n.brand_override_invalid", { brand: f.brand, language: f.language, where: f.where, problem: f.message });
}

export async function createServices(env: Env, o: ServiceOverrides = {}): Promise<Services> {
  const tenant = o.tenant ?? loadTenantConfig(env.configPath);
  const log = o.log ?? createLogger();
  // Before anything is opened: a missing or short signing secret stops the start, naming its variable.
  const webhooks = new Webhooks(resolveWebhookEndpoints(tenant.config.webhooks, env));
  const i18n = new I18nRegistry();
  checkBrandLocales(env, tenant, i18n, log);
  const db = await openDatabase(env.databaseUrl);
  const clock = o.clock ?? systemClock;
  const schemaVersion = await latestMigration(db.kysely);
  const metrics = createMetrics(outboxProbe(db.kysely, clock), log);
  // Ready (its table made on PostgreSQL) before any request can reach a limit.
  const rateLimits = await RateLimits.open(db, { onRejected: (limiter) => metrics.rateLimitRejections.inc({ limiter }) });
  const sealer = createSealer(env.sessionSecrets);
  const delivery = deliveryRoutes(env, o);
  const mailbox = Object.values(delivery).includes("dev-mailbox")
    ? new DevMailbox((line) => log.info("dev_mailbox", { message: line }))
    : undefined;
  const transport = <T>(route: DeliveryRoute, given: T | undefined, configured: () => T, variable: "SMTP_URL" | "SMS_WEBHOOK_URL") => {
    if (route === "given") return given!;
    if (route === "dev-mailbox") return mailbox!;
    if (route === "held-in-outbox") {
      log.warn("transport.unconfigured", { variable, effect: "messages wait in the outbox until it is set" });
      return unconfiguredTransport(variable);
    }
    return configured();
  };
  const email: EmailTransport = transport(delivery.mail, o.email, () => smtpTransport(env.smtpUrl!, env.mailFrom), "SMTP_URL");
  const sms: SmsTransport = transport(delivery.sms, o.sms, () => smsWebhookTransport(env.smsWebhookUrl!), "SMS_WEBHOOK_URL");
  const links = new Links(env.publicUrl, env.sessionSecrets);
  const worker = new OutboxWorker({
    db: db.kysely,
    links,
    listen: db.listen,
    clock,
    sealer,
    i18n,
    tenant,
    email,
    sms,
    log,
    webhooks,
    metrics,
    ...o.workerOptions,
  });
  return {
    env,
    tenant,
    db,
    clock,
    sealer,
    links,
    i18n,
    log,
    passwords: o.passwords ?? argon2id,
    worker,
    webhooks,
    delivery,
    mailbox,
    rateLimits,
    metrics,
    schemaVersion,
    async close() {
      await worker.stop();
      email.close?.();
      await db.close();
    },
  };
}
