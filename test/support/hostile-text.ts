// Characters no profile text may hold, anywhere in it (server/lib/validation.ts FORBIDDEN_TEXT),
// for the tests that sweep every way in.
export const HOSTILE: [string, string][] = [
  ["NUL", "\u0000"],
  ["CR LF", "\r\n"],
  ["LF", "\n"],
  ["CR", "\r"],
  ["tab", "\t"],
  ["BEL", "\u0007"],
  ["DEL", "\u007F"],
  ["NEL (C1)", "\u0085"],
  ["line separator", "\u2028"],
  ["paragraph separator", "\u2029"],
  ["right-to-left override", "\u202E"],
  ["left-to-right embedding", "\u202A"],
  ["left-to-right isolate", "\u2066"],
  ["pop directional isolate", "\u2069"],
  ["left-to-right mark", "\u200E"],
  ["right-to-left mark", "\u200F"],
  ["Arabic letter mark", "\u061C"],
  ["lone high surrogate", "\uD800"],
  ["lone low surrogate", "\uDC00"],
];

/**
 * Those a form post or a CSV file can carry: both are UTF-8 on the wire, which has no lone
 * surrogates (FormData and UTF-8 encoders put U+FFFD, the replacement character, in their place).
 */
export const HOSTILE_UTF8 = HOSTILE.filter(([, c]) => !/\p{Cs}/u.test(c));
