// Per-file test setup: DOM matchers, and a React or i18next warning fails the test instead of
// scrolling past (epic-stack's habit).
import "@testing-library/jest-dom/vitest";

const original = console.error;
beforeEach(() => {
  console.error = (...args: unknown[]) => {
    original(...args);
    throw new Error(`console.error was called: ${args.map(String).join(" ").slice(0, 500)}`);
  };
});
afterEach(() => {
  console.error = original;
});
