// `npm run worker`: the outbox worker in a process of its own, beside web processes started with
// OUTBOX_WORKER=off. A web process that also delivers shares one event loop (and, on SQLite, one
// connection) between its requests and its deliveries, so a burst of requests holds back the
// mails it queues until the burst is over; a process of its own keeps sending meanwhile
// (docs/operations.md). It stops like the web process: the batch in hand finished, then the
// database closed.
import closeWithGrace from "close-with-grace";
import { ConfigError } from "./config/load.js";
import { EnvError, parseEnv } from "./env.js";
import { createServices } from "./services.js";

const SHUTDOWN_GRACE_MS = 10_000;

async function main() {
  const env = parseEnv();
  const services = await createServices(env);
  const { delivery } = services;
  // The dev mailbox is in the memory of the process that delivers: a separate worker would fill a
  // mailbox no page shows.
  if (delivery.mail === "dev-mailbox" || delivery.sms === "dev-mailbox") {
    await services.close();
    throw new EnvError(
      "npm run worker delivers through SMTP_URL and SMS_WEBHOOK_URL; without them messages go to the dev mailbox of the web process, which must then run the worker itself (OUTBOX_WORKER=on)",
    );
  }
  services.worker.start();
  services.log.info("worker.started", {
    database: env.databaseUrl.startsWith("file:") ? "sqlite" : "postgres",
    mail: delivery.mail,
    sms: delivery.sms,
  });

  closeWithGrace({ delay: SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
    if (err) services.log.error("worker.crashed", { error: err.stack ?? String(err) });
    services.log.info("worker.stopping", { signal: signal ?? null });
    await services.close();
    services.log.info("worker.stopped", {});
  });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof EnvError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
