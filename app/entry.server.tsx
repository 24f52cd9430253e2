// Server rendering: the page's language, a nonce-based Content-Security-Policy, and streaming
// that waits for everything for bots and no-JavaScript clients alike. A page that does not
// hydrate (app/page-handle.ts) has nothing to stream (no Suspense, no Remix data for a client
// runtime) and is rendered to one string.
import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream, renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { pickPageI18n } from "./i18n";
import { hydrates } from "./page-handle";
import { loggedPath } from "../server/http/access-log.js";
import { contentSecurityPolicy } from "./security.server";

const ABORT_DELAY = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const loaderData = remixContext.staticHandlerContext.loaderData ?? {};
  const matches = remixContext.staticHandlerContext.matches.map((m) => ({ data: loaderData[m.route.id] }));
  const page = pickPageI18n(matches);
  const { services } = loadContext;
  const i18n = services.i18n.instance(page?.lng ?? "en-US", page?.brandId ? services.tenant.brand(page.brandId) : undefined);

  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  responseHeaders.set("Content-Security-Policy", contentSecurityPolicy(loadContext.cspNonce, loadContext.frameAncestors));
  responseHeaders.set("Cache-Control", "no-store");

  const deepest = remixContext.staticHandlerContext.matches.at(-1);
  if (deepest && !hydrates(remixContext.routeModules[deepest.route.id]?.handle)) {
    // A render error throws here, and Remix renders the error boundary instead (as it does for a shell error).
    const html = renderToString(
      <I18nextProvider i18n={i18n}>
        <RemixServer context={remixContext} url={request.url} nonce={loadContext.cspNonce} />
      </I18nextProvider>,
    );
    return new Response(`<!DOCTYPE html>${html}`, { headers: responseHeaders, status: responseStatusCode });
  }

  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <I18nextProvider i18n={i18n}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={loadContext.cspNonce} />
      </I18nextProvider>,
      {
        nonce: loadContext.cspNonce,
        // Every page is small: wait for all of it, so crawlers and JS-less browsers get whole pages.
        onAllReady() {
          shellRendered = true;
          const body = new PassThrough();
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

/**
 * Errors of the pages, in the service's log. A client's error (an address no route matches, a
 * 4xx a loader threw on purpose) is the client's, not the service's, and is not logged as one.
 */
export function handleError(error: unknown, { request, context }: { request: Request; context: AppLoadContext }) {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) return;
  context.services.log.error("page.error", {
    path: loggedPath(new URL(request.url).pathname),
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
}
