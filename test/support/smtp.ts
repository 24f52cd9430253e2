// A real SMTP listener (smtp-server) that parses what it receives (mailparser). It can be stopped
// and started again on the same port to play a mail server that goes down and comes back, or told
// to refuse recipients (a permanent 550) and then to take them again.
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  /** The first journey link found in the text part. */
  link?: string;
  /** performance.now() when the message's data began to arrive. */
  receivedAt: number;
}

export class SmtpListener {
  readonly mails: ReceivedMail[] = [];
  private server: SMTPServer | undefined;
  private waiters: (() => void)[] = [];
  port = 0;
  /** How long each message waits before the server answers it: a slow mail server. */
  answerDelayMs = 0;
  /** While true, every recipient is refused with 550 (quoting the address, as real servers do). */
  refuseRecipients = false;

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(port = this.port): Promise<this> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (!this.refuseRecipients) return callback();
        const error = new Error(`5.1.1 <${address.address}>: Recipient address rejected`) as Error & { responseCode: number };
        error.responseCode = 550;
        callback(error);
      },
      onData: (stream, _session, callback) => {
        const receivedAt = performance.now();
        simpleParser(stream)
          .then((parsed) => {
            const text = parsed.text ?? "";
            this.mails.push({
              to: (Array.isArray(parsed.to) ? parsed.to[0] : parsed.to)?.text ?? "",
              from: parsed.from?.text ?? "",
              subject: parsed.subject ?? "",
              text,
              html: typeof parsed.html === "string" ? parsed.html : "",
              link: /https?:\/\/\S+\/(?:invite|i)\/[A-Za-z0-9_-]+|https?:\/\/\S+login_hint=\S+/.exec(text)?.[0],
              receivedAt,
            });
            this.waiters.splice(0).forEach((w) => w());
            if (this.answerDelayMs > 0) setTimeout(callback, this.answerDelayMs);
            else callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    server.on("error", () => {});
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resolves when `count` mails (in all) have arrived, or fails after `timeoutMs`. */
  async waitFor(count: number, timeoutMs = 15_000): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.mails.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} mails, got ${this.mails.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.mails;
  }

  to(address: string): ReceivedMail[] {
    return this.mails.filter((m) => m.to.toLowerCase().includes(address.toLowerCase()));
  }
}

export async function startSmtp(): Promise<SmtpListener> {
  return new SmtpListener().start(0);
}
