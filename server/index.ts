// The process entry: parse the environment, build the services, serve, start the outbox worker.
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { createApp } from "./app.js";
import { ConfigError } from "./config/load.js";
import { EnvError, parseEnv } from "./env.js";
import { createServices } from "./services.js";
import { listen, logStartup } from "./startup.js";

async function main() {
  const env = parseEnv();
  const services = await createServices(env);
  const buildPath = path.resolve("build/index.js");
  const importBuild = () => import(`${pathToFileURL(buildPath).href}?t=${Date.now()}`) as Promise<ServerBuild>;

  let build: ServerBuild | (() => Promise<ServerBuild>);
  if (env.mode === "development") {
    // remix dev --manual rebuilds app/; re-import the build on each request so changes show at once.
    const { broadcastDevReady } = await import("@remix-run/node");
    build = importBuild;
    // Only `remix dev` sets the origin to tell; run directly (tsx server/index.ts) there is none.
    if (process.env.REMIX_DEV_ORIGIN) void importBuild().then((b) => broadcastDevReady(b));
    const { watch } = await import("node:fs");
    watch(path.resolve("locales"), { recursive: true }, () => services.i18n.reload());
  } else {
    build = await importBuild();
  }

  const app = createApp(services, { build });
  const server = await listen(app, env);
  server.keepAliveTimeout = 65_000;
  services.worker.start();
  logStartup(services);

  const shutdown = async () => {
    server.close();
    await services.close();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof EnvError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
