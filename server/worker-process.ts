// `npm run worker`: the outbox worker in a process of its own, beside web processes started with
// OUTBOX_WORKER=off. A web process that also delivers shares one event loop (and, on SQLite, one
// connection) between its requests and its deliveries, so a burst of requests holds back the
// mails it queues until the burst is over; a process of its own keeps sending meanwhile
// (docs/operations.md). It stops like the web process: the batch in hand finished, then the
// database closed.
import closeWithGrace from "close-with-grace";
import { parseEnv } from "./env.js";
import { createServices } from "./services.js";
import { checkWorkerPlacement, databaseKind, runProcess, SHUTDOWN_GRACE_MS } from "./startup.js";

async function main() {
  const env = parseEnv();
  const services = await createServices(env);
  await checkWorkerPlacement(services, "worker");
  services.worker.start();
  services.log.info("worker.started", { database: databaseKind(env), mail: services.delivery.mail, sms: services.delivery.sms });

  closeWithGrace({ delay: SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
    if (err) services.log.error("worker.crashed", { error: err.stack ?? String(err) });
    services.log.info("worker.stopping", { signal: signal ?? null });
    await services.close();
    services.log.info("worker.stopped", {});
  });
}

runProcess(main);
