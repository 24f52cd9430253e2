// The outbox worker: runs in the server process, leases due messages, delivers them and retries
// failures with capped exponential backoff. A message is only marked sent after its transport
// accepted it, so a crash or an outage delays messages but never loses one.
import type { Tenant } from "../config/load.js";
import { announceExpiredInvitations } from "../events/expiry.js";
import { Webhooks } from "../events/webhooks.js";
import type { I18nRegistry } from "../i18n/registry.js";
import type { Clock } from "../lib/clock.js";
import type { Logger } from "../lib/logger.js";
import type { Sealer } from "../lib/seal.js";
import type { Executor } from "../store/accounts.js";
import { claimDueMessages, earliestDue, markAttemptFailed, markSent, type OutboxMessage } from "../store/outbox.js";
import { renderActivationEmail, renderActivationSms, renderJoinEmail } from "./render.js";
import type { EmailTransport, SmsTransport } from "./transports.js";

export interface WorkerDeps {
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
  /** How often lapsed invitations are looked for, to announce invitation.expired (real time). */
  expirySweepMs?: number;
  /** First retry delay; doubles per attempt up to maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  batchSize?: number;
  concurrency?: number;
  idleMs?: number;
}

export class OutboxWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private kicked = false;
  private nextSweep = 0;
  private readonly webhooks: Webhooks;

  constructor(private readonly d: WorkerDeps) {
    this.webhooks = d.webhooks ?? new Webhooks();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** New messages were committed: look now rather than at the next poll. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let delivered = 0;
      try {
        delivered = await this.sweepIfDue();
        delivered += await this.runOnce();
      } catch (error) {
        this.d.log.error("outbox.poll_failed", { error: String(error) });
      }
      if (delivered > 0 || this.kicked) {
        this.kicked = false;
        continue;
      }
      await this.sleep(await this.nextWait());
    }
  }

  private async nextWait(): Promise<number> {
    const idle = this.d.idleMs ?? 1000;
    try {
      const due = await earliestDue(this.d.db);
      if (!due) return idle;
      return Math.max(10, Math.min(idle, new Date(due).getTime() - this.d.clock.now().getTime()));
    } catch {
      return idle;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** Announces lapsed invitations every expirySweepMs; returns how many were announced. */
  private async sweepIfDue(): Promise<number> {
    if (performance.now() < this.nextSweep) return 0;
    this.nextSweep = performance.now() + (this.d.expirySweepMs ?? 30_000);
    try {
      return await announceExpiredInvitations(this.d.db, this.webhooks, this.d.clock.now());
    } catch (error) {
      this.d.log.error("events.expiry_sweep_failed", { error: String(error) });
      return 0;
    }
  }

  /** Delivers what is due now; returns how many were attempted. */
  async runOnce(): Promise<number> {
    const batch = await claimDueMessages(this.d.db, this.d.clock.now(), this.d.batchSize ?? 50, 60_000);
    const queue = [...batch];
    const workers = Array.from({ length: Math.min(this.d.concurrency ?? 4, queue.length) }, async () => {
      for (let m = queue.shift(); m; m = queue.shift()) await this.deliver(m);
    });
    await Promise.all(workers);
    return batch.length;
  }

  private async deliver(m: OutboxMessage): Promise<void> {
    try {
      await this.send(m);
      await markSent(this.d.db, m.id, this.d.clock.now());
      this.d.log.info("outbox.delivered", { id: m.id, kind: m.kind, template: m.template, attempts: m.attempts + 1 });
    } catch (error) {
      const base = this.d.baseBackoffMs ?? 1000;
      const max = this.d.maxBackoffMs ?? 5 * 60_000;
      const delay = Math.min(max, base * 2 ** Math.min(m.attempts, 20)) * (0.8 + Math.random() * 0.4);
      const next = new Date(this.d.clock.now().getTime() + delay);
      await markAttemptFailed(this.d.db, m.id, next, String((error as Error).message ?? error)).catch((e: unknown) =>
        this.d.log.error("outbox.mark_failed", { id: m.id, error: String(e) }),
      );
      this.d.log.warn("outbox.retry", { id: m.id, kind: m.kind, attempts: m.attempts + 1, retryInMs: Math.round(delay) });
    }
  }

  private async send(m: OutboxMessage): Promise<void> {
    if (m.kind === "webhook") return this.webhooks.deliver(m, this.d.clock.now());
    // "join" (an existing account invited into an organization) is sent by email only.
    const join = m.template === "join" && m.kind === "email";
    if (m.template !== "activation" && !join) throw new Error(`unknown template ${m.template}`);
    const brand = this.d.tenant.brand(m.params.brandId ?? "");
    if (!brand) throw new Error(`unknown brand ${m.params.brandId}`);
    const opened = m.sealed ? await this.d.sealer.unseal<{ link: string }>(m.sealed) : undefined;
    if (!opened?.link) throw new Error("the sealed link cannot be opened (was SESSION_SECRET changed?)");
    const params = { name: m.params.name, validUntil: m.params.validUntil ?? "" };
    if (join) {
      await this.d.email.sendEmail(m.recipient, renderJoinEmail(this.d.i18n, m.locale, brand, { ...params, target: m.params.target ?? "" }, opened.link));
    } else if (m.kind === "email") {
      await this.d.email.sendEmail(m.recipient, renderActivationEmail(this.d.i18n, m.locale, brand, params, opened.link));
    } else {
      await this.d.sms.sendSms(m.recipient, renderActivationSms(this.d.i18n, m.locale, brand, params, opened.link), m.locale);
    }
  }
}
