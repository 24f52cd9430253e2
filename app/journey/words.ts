// Which words of the journey pack a page uses, shared by the server (the page's title) and the
// browser (its heading and body), so both say the same.

/** The journey:terminal section a terminal page's words come from: a used join invitation has its own. */
export function terminalWords(terminal: { kind: string; joined?: boolean }): string {
  return terminal.kind === "used" && terminal.joined ? "joined" : terminal.kind;
}
