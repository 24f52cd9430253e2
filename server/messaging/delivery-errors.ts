// What the admin API says about a failed delivery (docs/admin-api.md, "Deliveries"): a short class
// of the failure, never the raw error. A mail server's answer may quote the recipient's address and
// a socket error names hosts and ports; the raw text stays in the outbox row and the log only.

export const deliveryErrorClasses = [
  "connection refused",
  "connection lost",
  "timeout",
  "host not found",
  "rejected",
  "not configured",
  "failed",
] as const;
export type DeliveryErrorClass = (typeof deliveryErrorClasses)[number];

interface ErrorLike {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  responseCode?: unknown;
}

/** The class of a transport's failure (nodemailer, the SMS webhook, fetch). */
export function classifyDeliveryError(error: unknown): DeliveryErrorClass {
  const e = (typeof error === "object" && error !== null ? error : {}) as ErrorLike & { cause?: ErrorLike };
  const code = [e.code, e.cause?.code].filter((c): c is string => typeof c === "string");
  const message = `${String(e.message ?? error)} ${String(e.cause?.message ?? "")}`;
  if (typeof e.responseCode === "number" && e.responseCode >= 400) return "rejected";
  if (code.includes("EENVELOPE") || code.includes("EMESSAGE")) return "rejected";
  if (code.includes("ECONNREFUSED") || /\bECONNREFUSED\b/.test(message)) return "connection refused";
  if (code.includes("ETIMEDOUT") || e.name === "TimeoutError" || /\b(ETIMEDOUT|timed? ?out)\b/i.test(message)) return "timeout";
  if (code.some((c) => c === "ENOTFOUND" || c === "EAI_AGAIN") || /\b(ENOTFOUND|EAI_AGAIN)\b/.test(message)) return "host not found";
  if (
    code.some((c) => c === "ECONNRESET" || c === "EPIPE" || c === "ECONNECTION") ||
    /\b(ECONNRESET|EPIPE)\b|closed unexpectedly/.test(message)
  )
    return "connection lost";
  if (/\banswered [45]\d\d\b/.test(message)) return "rejected";
  if (/ is not set: /.test(message)) return "not configured";
  return "failed";
}
