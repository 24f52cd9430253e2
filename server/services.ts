// Everything the API, the journey pages and the worker share, built once per process. Tests build
// it with their own database file, configuration, clock and transports.
import type { Env } from "./env.js";
import { loadTenantConfig, type Tenant } from "./config/load.js";
import { resolveWebhookEndpoints, Webhooks } from "./events/webhooks.js";
import { I18nRegistry } from "./i18n/registry.js";
import { Links } from "./invitations/links.js";
import { systemClock, type Clock } from "./lib/clock.js";
import { createLogger, type Logger } from "./lib/logger.js";
import { argon2id, type PasswordHasher } from "./lib/passwords.js";
import { createSealer, type Sealer } from "./lib/seal.js";
import { OutboxWorker } from "./messaging/worker.js";
import {
  DevMailbox,
  smsWebhookTransport,
  smtpTransport,
  unconfiguredTransport,
  type EmailTransport,
  type SmsTransport,
} from "./messaging/transports.js";
import { openDatabase, type Db } from "./store/database.js";

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
  /** Set when messages go to the dev mailbox (no SMTP_URL or no SMS_WEBHOOK_URL). */
  mailbox?: DevMailbox;
  close(): Promise<void>;
}

export interface ServiceOverrides {
  tenant?: Tenant;
  clock?: Clock;
  log?: Logger;
  email?: EmailTransport;
  sms?: SmsTransport;
  passwords?: PasswordHasher;
  workerOptions?: { baseBackoffMs?: number; maxBackoffMs?: number; idleMs?: number; expirySweepMs?: number };
}

export async function createServices(env: Env, o: ServiceOverrides = {}): Promise<Services> {
  const tenant = o.tenant ?? loadTenantConfig(env.configPath);
  const log = o.log ?? createLogger();
  // Before anything is opened: a missing or short signing secret stops the start, naming its variable.
  const webhooks = new Webhooks(resolveWebhookEndpoints(tenant.config.webhooks, env));
  const db = await openDatabase(env.databaseUrl);
  const clock = o.clock ?? systemClock;
  const sealer = createSealer(env.sessionSecrets);
  const i18n = new I18nRegistry();
  // The dev mailbox stands in for a missing SMTP_URL / SMS_WEBHOOK_URL only where dev tools are
  // allowed; in production such messages wait in the outbox instead of going nowhere.
  const needsStandIn = (!o.email && !env.smtpUrl) || (!o.sms && !env.smsWebhookUrl);
  const mailbox = needsStandIn && env.devTools ? new DevMailbox((line) => log.info("dev_mailbox", { message: line })) : undefined;
  const standIn = (variable: "SMTP_URL" | "SMS_WEBHOOK_URL") => {
    if (mailbox) return mailbox;
    log.warn("transport.unconfigured", { variable, effect: "messages wait in the outbox until it is set" });
    return unconfiguredTransport(variable);
  };
  const email: EmailTransport = o.email ?? (env.smtpUrl ? smtpTransport(env.smtpUrl, env.mailFrom) : standIn("SMTP_URL"));
  const sms = o.sms ?? (env.smsWebhookUrl ? smsWebhookTransport(env.smsWebhookUrl) : standIn("SMS_WEBHOOK_URL"));
  const worker = new OutboxWorker({ db: db.kysely, clock, sealer, i18n, tenant, email, sms, log, webhooks, ...o.workerOptions });
  return {
    env,
    tenant,
    db,
    clock,
    sealer,
    links: new Links(env.publicUrl, env.sessionSecrets),
    i18n,
    log,
    passwords: o.passwords ?? argon2id,
    worker,
    webhooks,
    mailbox,
    async close() {
      await worker.stop();
      email.close?.();
      await db.close();
    },
  };
}
