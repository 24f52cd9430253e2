// The outbox worker: runs in the server process, leases due messages, delivers them and retries
// failures with capped exponential backoff. A message is only marked sent after its transport
// accepted it, so a crash or an outage delays messages but never loses one. Several instances on
// one PostgreSQL database each run one: a message is leased to one worker at a time, the lease is
// extended while that worker is on it, and a committed message wakes every worker at once (LISTEN).
import { randomUUID } from "node:crypto";
import type { Tenant } from "../config/load.js";
import { announceExpiredInvitations } from "../events/expiry.js";
import { invitationEventData } from "../events/types.js";
import { Webhooks } from "../events/webhooks.js";
import type { I18nRegistry } from "../i18n/registry.js";
import type { Clock } from "../lib/clock.js";
import type { Logger } from "../lib/logger.js";
import type { Sealer } from "../lib/seal.js";
import type { Links } from "../invitations/links.js";
import { sendDueReminders } from "../invitations/reminders.js";
import type { Executor } from "../store/accounts.js";
import type { Db } from "../store/database.js";
import type { Listening } from "../store/notify.js";
import {
  claimDueMessages,
  earliestDue,
  extendLeases,
  markAbandoned,
  markAttemptFailed,
  markSent,
  OUTBOX_CHANNEL,
  type OutboxMessage,
} from "../store/outbox.js";
import { getInvitationRef } from "../store/invitations.js";
import { classifyDeliveryError } from "./delivery-errors.js";
import { renderActivationEmail, renderActivationSms, renderJoinEmail, renderReminderEmail, renderReminderSms } from "./render.js";
import type { EmailTransport, SmsTransport } from "./transports.js";
import type { Metrics } from "../metrics.js";

export interface WorkerOptions {
  /** How often lapsed invitations are looked for, to announce invitation.expired (real time). */
  expirySweepMs?: number;
  /** First retry delay; doubles per attempt up to maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  batchSize?: number;
  concurrency?: number;
  /** Longest wait between two looks at the outbox when no notification can wake the worker. */
  idleMs?: number;
  /** The same while LISTENing on PostgreSQL: notifications wake it, this is a safety net. */
  listeningIdleMs?: number;
  /** How long a claimed message is leased; extended every third of it while the worker holds it. */
  leaseMs?: number;
  /** An email or SMS is given up on ("abandoned") after this many failed attempts (GIVE_UP_AFTER_ATTEMPTS). */
  giveUpAfterAttempts?: number;
  /** ... or when an attempt fails this long after it was queued (GIVE_UP_AFTER_HOURS). */
  giveUpAfterHours?: number;
}

/** docs/operations.md, "Messages given up on": at most 300 attempts (about a day at the longest backoff)... */
export const GIVE_UP_AFTER_ATTEMPTS = 300;
/** ... and no attempt after 24 hours: the invitee's message is then "abandoned" and invitation.delivery_failed published. */
export const GIVE_UP_AFTER_HOURS = 24;

export interface WorkerDeps extends WorkerOptions {
  db: Executor;
  clock: Clock;
  sealer: Sealer;
  i18n: I18nRegistry;
  tenant: Tenant;
  email: EmailTransport;
  sms: SmsTransport;
  log: Logger;
  /** Webhook events (kind "webhook"); none configured when absent. */
  webhooks?: Webhooks;
  /** PostgreSQL: notifications of committed outbox rows (Db.listen). */
  listen?: Db["listen"];
  /** Deliveries by kind and outcome, and reminders, for GET /metrics. */
  metrics?: Pick<Metrics, "deliveries"> & Partial<Pick<Metrics, "reminders">>;
  /** The links a reminder carries; without them no reminders are sent (server/invitations/reminders.ts). */
  links?: Links;
}

export class OutboxWorker {
  /** Names this worker's leases in the outbox (lease_owner). */
  readonly id = randomUUID();
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private kicked = false;
  private listener: Listening | undefined;
  private listening = false;
  private nextSweep = 0;
  private readonly webhooks: Webhooks;

  constructor(private readonly d: WorkerDeps) {
    this.webhooks = d.webhooks ?? new Webhooks();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.listener = this.d.listen?.(OUTBOX_CHANNEL, {
      notify: () => this.kick(),
      connected: () => {
        this.listening = true;
        this.d.log.info("outbox.listening", { channel: OUTBOX_CHANNEL });
        this.kick(); // what was committed while not listening
      },
      lost: (error) => {
        const wasListening = this.listening;
        this.listening = false;
        this.d.log.warn("outbox.listen_lost", { error: error.message, pollMs: this.d.idleMs ?? 1000 });
        if (wasListening) this.kick(); // shorten the current wait to the polling interval
      },
    });
    this.loop = this.run();
  }

  /** PostgreSQL: whether notifications can wake this worker now (else it polls every idleMs). */
  get isListening(): boolean {
    return this.listening;
  }

  /** New messages were committed: look now rather than at the next poll. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.listener?.close();
    this.listener = undefined;
    this.listening = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      // A kick from here on (a commit, a notification) means: look again before sleeping.
      this.kicked = false;
      let worked = 0;
      try {
        worked = await this.sweepIfDue();
        worked += await this.runOnce();
      } catch (error) {
        this.d.log.error("outbox.poll_failed", { error: String(error) });
      }
      if (worked > 0) continue;
      const wait = await this.nextWait();
      if (!this.kicked && this.running) await this.sleep(wait);
    }
  }

  /** Until the next message is due, a lease lapses or the expiry sweep is due, at most the idle wait. */
  private async nextWait(): Promise<number> {
    const idle = this.listening ? (this.d.listeningIdleMs ?? 5000) : (this.d.idleMs ?? 1000);
    const cap = Math.max(0, Math.min(idle, this.nextSweep - performance.now()));
    try {
      const due = await earliestDue(this.d.db);
      if (!due) return cap;
      return Math.max(10, Math.min(cap, new Date(due).getTime() - this.d.clock.now().getTime()));
    } catch {
      return cap;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  /**
   * Every expirySweepMs (30 s by default): announces lapsed invitations and queues the reminders
   * due; returns how many of both.
   */
  private async sweepIfDue(): Promise<number> {
    if (performance.now() < this.nextSweep) return 0;
    this.nextSweep = performance.now() + (this.d.expirySweepMs ?? 30_000);
    let worked = 0;
    try {
      worked += await announceExpiredInvitations(this.d.db, this.webhooks, this.d.clock.now());
    } catch (error) {
      this.d.log.error("events.expiry_sweep_failed", { error: String(error) });
    }
    worked += await this.remindIfConfigured();
    return worked;
  }

  /** Queues the reminders due now (none without links or a store that wants them). */
  async remindIfConfigured(): Promise<number> {
    const links = this.d.links;
    if (!links) return 0;
    try {
      const sent = await sendDueReminders({
        db: this.d.db,
        tenant: this.d.tenant,
        sealer: this.d.sealer,
        links,
        clock: this.d.clock,
        webhooks: this.webhooks,
        onReminded: () => this.d.metrics?.reminders?.inc(),
      });
      if (sent > 0) this.d.log.info("invitation.reminders_queued", { count: sent });
      return sent;
    } catch (error) {
      this.d.log.error("invitation.reminder_sweep_failed", { error: String(error) });
      return 0;
    }
  }

  /**
   * Delivers what is due now; returns how many were claimed. While the batch is worked on, its
   * leases are extended every third of leaseMs, so a slow mail server never lets another worker
   * take a message this one is still sending. A message whose lease could not be extended (the
   * database did not answer, or the lease went to another worker) is not sent here: it is left
   * to whoever holds it, or to the next claim once its lease lapses.
   */
  async runOnce(): Promise<number> {
    const leaseMs = this.d.leaseMs ?? 60_000;
    const claimedAt = this.d.clock.now();
    const batch = await claimDueMessages(this.d.db, claimedAt, this.d.batchSize ?? 50, leaseMs, this.id);
    if (batch.length === 0) return 0;
    let held = new Set(batch.map((m) => m.id));
    let leaseEnd = claimedAt.getTime() + leaseMs;
    const heartbeat = setInterval(() => {
      const until = this.d.clock.now().getTime() + leaseMs;
      extendLeases(this.d.db, [...held], this.id, new Date(until)).then(
        (still) => {
          held = new Set(still);
          leaseEnd = until;
        },
        (error: unknown) => this.d.log.warn("outbox.lease_extend_failed", { error: String(error) }),
      );
    }, leaseMs / 3);
    const queue = [...batch];
    const workers = Array.from({ length: Math.min(this.d.concurrency ?? 4, queue.length) }, async () => {
      for (let m = queue.shift(); m; m = queue.shift()) {
        if (!held.has(m.id) || this.d.clock.now().getTime() > leaseEnd - leaseMs / 3) continue;
        await this.deliver(m);
        held.delete(m.id);
      }
    });
    try {
      await Promise.all(workers);
    } finally {
      clearInterval(heartbeat);
    }
    return batch.length;
  }

  private async deliver(m: OutboxMessage): Promise<void> {
    try {
      await this.send(m);
      await markSent(this.d.db, m.id, this.d.clock.now());
      this.d.metrics?.deliveries.inc({ kind: m.kind, outcome: "sent" });
      this.d.log.info("outbox.delivered", { id: m.id, kind: m.kind, template: m.template, attempts: m.attempts + 1 });
    } catch (error) {
      const now = this.d.clock.now();
      const failed = { at: now, errorClass: classifyDeliveryError(error), error: String((error as Error).message ?? error) };
      if (this.givesUp(m, now)) return this.abandon(m, failed);
      const base = this.d.baseBackoffMs ?? 1000;
      const max = this.d.maxBackoffMs ?? 5 * 60_000;
      const delay = Math.min(max, base * 2 ** Math.min(m.attempts, 20)) * (0.8 + Math.random() * 0.4);
      const next = new Date(now.getTime() + delay);
      await markAttemptFailed(this.d.db, m.id, this.id, next, failed).catch((e: unknown) =>
        this.d.log.error("outbox.mark_failed", { id: m.id, error: String(e) }),
      );
      this.d.metrics?.deliveries.inc({ kind: m.kind, outcome: "retry" });
      this.d.log.warn("outbox.retry", {
        id: m.id,
        kind: m.kind,
        attempts: m.attempts + 1,
        error: failed.errorClass,
        retryInMs: Math.round(delay),
      });
    }
  }

  /**
   * An invitee's email or SMS is given up on after giveUpAfterAttempts failed attempts, or when an
   * attempt fails giveUpAfterHours after it was queued. Webhook events are retried until delivered
   * (docs/webhooks.md).
   */
  private givesUp(m: OutboxMessage, now: Date): boolean {
    if (m.kind === "webhook") return false;
    const attempts = this.d.giveUpAfterAttempts ?? GIVE_UP_AFTER_ATTEMPTS;
    const hours = this.d.giveUpAfterHours ?? GIVE_UP_AFTER_HOURS;
    return m.attempts + 1 >= attempts || now.getTime() - Date.parse(m.createdAt) >= hours * 3_600_000;
  }

  /** Abandoned, and invitation.delivery_failed published, in one transaction. */
  private async abandon(m: OutboxMessage, failed: { at: Date; errorClass: string; error: string }): Promise<void> {
    try {
      await this.d.db.transaction().execute(async (trx) => {
        if (!(await markAbandoned(trx, m.id, this.id, failed))) return;
        const invitation = m.invitationId ? await getInvitationRef(trx, m.invitationId) : undefined;
        if (invitation)
          await this.webhooks.publish(
            trx,
            "invitation.delivery_failed",
            invitationEventData(invitation, "pending", {
              delivery: { id: m.id, channel: m.kind === "sms" ? "sms" : "email", error: failed.errorClass },
            }),
            failed.at,
          );
      });
    } catch (e) {
      this.d.log.error("outbox.mark_failed", { id: m.id, error: String(e) });
      return;
    }
    this.d.metrics?.deliveries.inc({ kind: m.kind, outcome: "failed" });
    this.d.log.warn("outbox.abandoned", {
      id: m.id,
      kind: m.kind,
      attempts: m.attempts + 1,
      error: failed.errorClass,
      invitation: m.invitationId,
    });
    if (m.invitationId) this.kick(); // the event just queued
  }

  private async send(m: OutboxMessage): Promise<void> {
    if (m.kind === "webhook") return this.webhooks.deliver(m, this.d.clock.now());
    // "join" (an existing account invited into an organization) is sent by email only.
    const join = m.template === "join" && m.kind === "email";
    const reminder = m.template === "reminder";
    if (m.template !== "activation" && !join && !reminder) throw new Error(`unknown template ${m.template}`);
    const brand = this.d.tenant.brand(m.params.brandId ?? "");
    if (!brand) throw new Error(`unknown brand ${m.params.brandId}`);
    const opened = m.sealed ? await this.d.sealer.unseal<{ link: string }>(m.sealed) : undefined;
    if (!opened?.link) throw new Error("the sealed link cannot be opened (was SESSION_SECRET changed?)");
    const params = { name: m.params.name, validUntil: m.params.validUntil ?? "" };
    if (reminder && m.kind === "email") {
      await this.d.email.sendEmail(m.recipient, renderReminderEmail(this.d.i18n, m.locale, brand, params, opened.link));
    } else if (reminder) {
      await this.d.sms.sendSms(m.recipient, renderReminderSms(this.d.i18n, m.locale, brand, params, opened.link), m.locale);
    } else if (join) {
      await this.d.email.sendEmail(
        m.recipient,
        renderJoinEmail(this.d.i18n, m.locale, brand, { ...params, target: m.params.target ?? "" }, opened.link),
      );
    } else if (m.kind === "email") {
      await this.d.email.sendEmail(m.recipient, renderActivationEmail(this.d.i18n, m.locale, brand, params, opened.link));
    } else {
      await this.d.sms.sendSms(m.recipient, renderActivationSms(this.d.i18n, m.locale, brand, params, opened.link), m.locale);
    }
  }
}
