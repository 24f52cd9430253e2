// The process entry: parse the environment, build the services, serve, start the outbox worker
// (unless OUTBOX_WORKER=off: `npm run worker` runs it, server/worker-process.ts), and on SIGINT/SIGTERM stop gracefully: no new connections, requests in flight answered, the
// outbox's current batch finished, then the database closed (close-with-grace).
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import closeWithGrace from "close-with-grace";
import { createApp } from "./app.js";
import { parseEnv } from "./env.js";
import { ROOT } from "./paths.js";
import { createServices } from "./services.js";
import { checkWorkerPlacement, latestBuild, listen, logStartup, runProcess, SHUTDOWN_GRACE_MS } from "./startup.js";

const BUILD_PATH = path.join(ROOT, "build/index.js");

async function main() {
  const env = parseEnv();
  const services = await createServices(env);
  await checkWorkerPlacement(services, "web");

  let build: ServerBuild | (() => Promise<ServerBuild>);
  if (env.mode === "development") {
    const { broadcastDevReady } = await import("@remix-run/node");
    build = latestBuild(BUILD_PATH);
    // Only `remix dev` sets the origin to tell; run directly there is none.
    if (process.env.REMIX_DEV_ORIGIN) void build().then((b) => broadcastDevReady(b));
    const { watch } = await import("node:fs");
    watch(path.join(ROOT, "locales"), { recursive: true }, () => services.i18n.reload());
  } else {
    build = (await import(pathToFileURL(BUILD_PATH).href)) as ServerBuild;
  }

  const app = createApp(services, { build });
  const server = await listen(app, env);
  server.keepAliveTimeout = 65_000;
  if (env.outboxWorker) services.worker.start();
  logStartup(services);

  closeWithGrace({ delay: SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
    if (err) services.log.error("server.crashed", { error: err.stack ?? String(err) });
    services.log.info("server.stopping", { signal: signal ?? null });
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await closed;
    await services.close();
    services.log.info("server.stopped", {});
  });
}

runProcess(main);
