// Where messages go: SMTP through nodemailer, SMS through an HTTP webhook, or the dev mailbox.
import nodemailer, { type Transporter } from "nodemailer";
import type { RenderedEmail } from "./render.js";

export interface EmailTransport {
  sendEmail(to: string, message: RenderedEmail): Promise<void>;
  close?(): void;
}

export interface SmsTransport {
  sendSms(to: string, body: string, locale: string): Promise<void>;
}

export function smtpTransport(url: string, from: string): EmailTransport {
  // A pool keeps connections open for bursts (bulk invitations); nodemailer reconnects as needed.
  const pooled = new URL(url);
  if (!pooled.searchParams.has("pool")) pooled.searchParams.set("pool", "true");
  if (!pooled.searchParams.has("maxConnections")) pooled.searchParams.set("maxConnections", "4");
  const transporter: Transporter = nodemailer.createTransport(pooled.toString(), { from });
  return {
    async sendEmail(to, m) {
      await transporter.sendMail({ to, subject: m.subject, text: m.text, html: m.html });
    },
    close: () => transporter.close(),
  };
}

export function smsWebhookTransport(url: string): SmsTransport {
  return {
    async sendSms(to, body, locale) {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ to, body, locale }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new Error(`SMS webhook answered ${response.status}`);
    },
  };
}

/**
 * Production without SMTP_URL or SMS_WEBHOOK_URL: there is no dev mailbox there, so every attempt
 * fails and the message waits in the outbox (retried with backoff) until the server is restarted
 * with the setting. Nothing is lost, and the log says why nothing was sent.
 */
export function unconfiguredTransport(variable: "SMTP_URL" | "SMS_WEBHOOK_URL"): EmailTransport & SmsTransport {
  const fail = async () => {
    throw new Error(`${variable} is not set: the message waits in the outbox`);
  };
  return { sendEmail: fail, sendSms: fail };
}

export interface MailboxEntry {
  id: number;
  at: string;
  kind: "email" | "sms";
  to: string;
  subject: string;
  text: string;
  html?: string;
  link?: string;
}

/** The dev mailbox (README, "Quick start"): messages are printed and kept in memory for /dev/mailbox. */
export class DevMailbox implements EmailTransport, SmsTransport {
  private entries: MailboxEntry[] = [];
  private next = 1;

  constructor(
    private readonly print: (line: string) => void = (l) => console.log(l),
    private readonly keep = 200,
  ) {}

  private add(e: Omit<MailboxEntry, "id" | "at">) {
    this.entries.unshift({ ...e, id: this.next++, at: new Date().toISOString() });
    this.entries.length = Math.min(this.entries.length, this.keep);
    // The dev mailbox is a development tool: it prints the link so a developer can follow it.
    this.print(`[dev mailbox] ${e.kind} "${e.subject}"${e.link ? ` link: ${e.link}` : ""} (see /dev/mailbox)`);
  }

  async sendEmail(to: string, m: RenderedEmail) {
    this.add({ kind: "email", to, subject: m.subject, text: m.text, html: m.html, link: firstLink(m.text) });
  }

  async sendSms(to: string, body: string) {
    this.add({ kind: "sms", to, subject: body.slice(0, 60), text: body, link: firstLink(body) });
  }

  list(): MailboxEntry[] {
    return [...this.entries];
  }
}

function firstLink(text: string): string | undefined {
  return /https?:\/\/\S+/.exec(text)?.[0];
}
