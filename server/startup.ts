// The steps of a start that are worth testing on their own: the one log line that says how this
// process is set up.
import type { Services } from "./services.js";

/** The start-up summary: where it listens and where messages really go (Services.delivery). */
export function logStartup(s: Services): void {
  const { env } = s;
  s.log.info("server.listening", {
    url: env.publicUrl,
    host: env.host,
    port: env.port,
    mode: env.mode,
    demo: env.demo,
    database: env.databaseUrl.startsWith("file:") ? "sqlite" : "postgres",
    mail: s.delivery.mail,
    sms: s.delivery.sms,
    trustProxy: env.trustProxy,
  });
  if (s.mailbox) s.log.info("dev_mailbox.enabled", { url: `${env.publicUrl}/dev/mailbox` });
}
