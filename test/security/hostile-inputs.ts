// The hostile inputs of test/security/hostile-input.test.ts, and the small client that sends them
// and judges the answers.
import { gzipSync } from "node:zlib";

/** Path segments and query values no route should choke on. */
export const HOSTILE_STRINGS = [
  "%zz",
  "%",
  "%E0%A4%A",
  "%00",
  "a%00b",
  "%0D%0ASet-Cookie:%20x=1",
  "..%2F..%2Fetc%2Fpasswd",
  "__proto__",
  "constructor",
  "toString",
  "%E2%80%AE",
  "%ED%A0%80",
  "%C0%AF",
  "'%20OR%201=1--",
  "%3Cscript%3E",
  "x".repeat(4000),
];

/** JSON values put in place of each field of a request body. */
export const HOSTILE_VALUES: unknown[] = [
  null,
  0,
  -1,
  1e308,
  true,
  [],
  [[[]]],
  {},
  { __proto__: { polluted: true } },
  JSON.parse('{"__proto__": {"polluted": true}}'),
  { constructor: { prototype: { polluted: true } } },
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "line\r\nBcc: x@evil.example",
  "\u202Eevil",
  "\uD800",
  "\u0007\u001b[2J",
  "__proto__",
  "constructor",
  "x".repeat(20_000),
  "😀".repeat(300),
];

const PROBLEM = "application/problem+json";
/** Resend bodies are swept against an invitation that does not exist: a valid one would resend. */
export const NO_SUCH_ID = "00000000-0000-4000-8000-000000000000";
const HTML = "text/html";
/** A page's data, as Remix's client reads it to render the page (".data" addresses). */
const PAGE_DATA = "text/x-script";
/** How a refusal may come: problem+json from the APIs, a page (or its data) from the pages. 431 comes from Node's parser. */
const ANSWERS = [PROBLEM, HTML, PAGE_DATA];

export interface Sent {
  label: string;
  status: number;
  type: string;
}

/** What went wrong: a 5xx, or a refusal that is neither problem+json nor a page. */
export function verdict(sent: Sent[]): string[] {
  return sent
    .filter((r) => r.status >= 500 || (r.status >= 400 && r.status !== 431 && !ANSWERS.some((type) => r.type.startsWith(type))))
    .map((r) => `${r.label} -> ${r.status} ${r.type}`);
}

/**
 * Each request comes from an address of its own (the test server trusts its loopback proxy), so
 * the per-address limits, which hold, do not turn the rest of the sweep into 429s.
 */
let sender = 0;
export function address(): Record<string, string> {
  sender++;
  return { "x-forwarded-for": `10.${(sender >> 16) & 255}.${(sender >> 8) & 255}.${sender & 255}` };
}

export async function send(base: string, label: string, path: string, init: RequestInit): Promise<Sent> {
  const headers = { ...address(), ...(init.headers as Record<string, string>) };
  const res = await fetch(`${base}${path}`, { redirect: "manual", ...init, headers });
  await res.arrayBuffer();
  return { label, status: res.status, type: res.headers.get("content-type") ?? "" };
}

/** The same object with one dotted path replaced. */
export function withValue(template: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(template);
  const keys = path.split(".");
  let at: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[keys.at(-1)!] = value;
  return copy;
}

/** Every leaf path of a body (nested objects included). */
export function leafPaths(o: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === "object" && !Array.isArray(v) ? leafPaths(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

/** Raw bodies that are not what a JSON API reads. */
export const BROKEN_JSON: { label: string; body: string | Uint8Array<ArrayBuffer>; headers: Record<string, string> }[] = [
  { label: "empty", body: "", headers: { "content-type": "application/json" } },
  { label: "null", body: "null", headers: { "content-type": "application/json" } },
  { label: "array", body: "[]", headers: { "content-type": "application/json" } },
  { label: "number", body: "1", headers: { "content-type": "application/json" } },
  { label: "string", body: '"s"', headers: { "content-type": "application/json" } },
  { label: "truncated", body: '{"a":', headers: { "content-type": "application/json" } },
  { label: "deep", body: "[".repeat(5000) + "]".repeat(5000), headers: { "content-type": "application/json" } },
  { label: "NUL in JSON", body: '{"email":"a\\u0000b@example.com"}', headers: { "content-type": "application/json" } },
  { label: "text/plain", body: "{}", headers: { "content-type": "text/plain" } },
  { label: "form", body: "a=1", headers: { "content-type": "application/x-www-form-urlencoded" } },
  { label: "no type", body: "{}", headers: {} },
  { label: "utf-16 charset", body: "{}", headers: { "content-type": "application/json; charset=utf-16" } },
  { label: "gzip, not compressed", body: "{}", headers: { "content-type": "application/json", "content-encoding": "gzip" } },
  { label: "deflate, not compressed", body: "{}", headers: { "content-type": "application/json", "content-encoding": "deflate" } },
  { label: "br", body: "{}", headers: { "content-type": "application/json", "content-encoding": "br" } },
  {
    label: "gzip bomb",
    body: Uint8Array.from(gzipSync(Buffer.alloc(50 * 1024 * 1024))),
    headers: { "content-type": "application/json", "content-encoding": "gzip" },
  },
  { label: "over the cap", body: JSON.stringify({ x: "y".repeat(2 * 1024 * 1024) }), headers: { "content-type": "application/json" } },
];

/** Raw bodies that are not an HTML form. */
export function brokenForms(csrf: string): { label: string; body: string; headers: Record<string, string> }[] {
  return [
    { label: "JSON", body: JSON.stringify({ csrf }), headers: { "content-type": "application/json" } },
    { label: "text/plain", body: `csrf=${csrf}`, headers: { "content-type": "text/plain" } },
    { label: "empty, no type", body: "", headers: {} },
    { label: "empty form", body: "", headers: { "content-type": "application/x-www-form-urlencoded" } },
    {
      label: "broken multipart",
      body: "--x\r\nContent-Disposition: form-data\r\n\r\nno end",
      headers: { "content-type": "multipart/form-data; boundary=x" },
    },
    { label: "multipart, no boundary", body: "a", headers: { "content-type": "multipart/form-data" } },
    { label: "NUL in a field", body: `csrf=${csrf}&firstName=a%00b`, headers: { "content-type": "application/x-www-form-urlencoded" } },
    { label: "NUL in a name", body: `csrf=${csrf}&a%00=1`, headers: { "content-type": "application/x-www-form-urlencoded" } },
    { label: "bad escape", body: `csrf=${csrf}&firstName=%E0%A4%A`, headers: { "content-type": "application/x-www-form-urlencoded" } },
    {
      label: "prototype keys",
      body: `csrf=${csrf}&__proto__=1&constructor=2&toString=3`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    },
    {
      label: "gzip, not compressed",
      body: `csrf=${csrf}`,
      headers: { "content-type": "application/x-www-form-urlencoded", "content-encoding": "gzip" },
    },
    {
      label: "over the cap",
      body: `csrf=${csrf}&x=${"y".repeat(200 * 1024)}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    },
  ];
}
