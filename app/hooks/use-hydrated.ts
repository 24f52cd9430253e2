// Whether the page runs with JavaScript: false in the server's HTML and during hydration, true after
// (remix-utils' useHydrated). Controls that exist only with JavaScript render on it.
import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}
