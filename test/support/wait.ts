// Waiting on state, never on the clock: a condition polled until it holds or a generous deadline
// passes (a busy machine is slow, not wrong). A test that must show that something did NOT
// happen asserts on the outbox instead (test/support/outbox.ts).

/** Resolves with the first truthy value `check` returns; fails naming `what` after `timeoutMs`. */
export async function waitUntil<T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
