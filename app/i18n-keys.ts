// Translation keys composed at run time: a form's error codes (conform hands them over as strings,
// from the browser's schema or the server's reply) and a rule's or a CSV column's code. They are
// the codes of the schemas and rules whose words the en-US packs hold (npm run locales:check keeps
// every language in step); this is the one place such a string becomes a typed key.
import type { Namespace, ParseKeys } from "i18next";

export function runtimeKey<N extends Namespace>(_ns: N, key: string): ParseKeys<N> {
  return key as ParseKeys<N>;
}
