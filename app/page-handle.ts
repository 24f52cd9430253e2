// What a route tells the document around it (app/root.tsx), through Remix's `handle`.
export interface PageHandle {
  /**
   * false: the page is the server's HTML and loads no React, no Remix runtime and no i18next in
   * the browser (the journey's pages: plain forms, with a few kB of script of their own where they
   * have some, see app/journey/components/PageScript.tsx).
   */
  hydrate?: boolean;
}

export const SERVER_RENDERED: PageHandle = { hydrate: false };

/** Whether a route's page hydrates, from its `handle` (a route without one does). */
export function hydrates(handle: unknown): boolean {
  return (handle as PageHandle | undefined)?.hydrate !== false;
}
