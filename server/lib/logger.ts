// Structured logs on stdout, through pino: one JSON line per event, with a level, a time and the
// event's name. Callers pass ids and counts only: no email address, phone number or token is ever
// logged (docs/operations.md). Two defences stand behind that habit: pino's redaction by path for
// fields that would carry one (`email`, `phone`, `token`, credentials in headers), and redact()
// for free text such as an error's message.
import { pino, type DestinationStream, type Logger as Pino } from "pino";

export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
  /** The pino instance underneath, for the access log (pino-http). */
  readonly pino: Pino;
}

const EMAIL = /[^\s@"'<>]+@[^\s@"'<>]+\.[^\s@"'<>]+/g;
const PHONE = /\+\d{7,15}/g;

export function redact(text: string): string {
  return text.replace(EMAIL, "[email]").replace(PHONE, "[phone]");
}

/** Fields that must never reach a log line, wherever they appear. */
export const REDACTED_PATHS = [
  "email",
  "phone",
  "token",
  "password",
  "*.email",
  "*.phone",
  "*.token",
  "*.password",
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
];

/**
 * @param write where each line goes (tests collect them); standard output by default
 * @param silent nothing is written at all
 */
export function createLogger(write?: (line: string) => void, silent = false): Logger {
  const destination: DestinationStream | undefined = write ? { write: (line: string) => write(redact(line.trimEnd())) } : undefined;
  const base = pino(
    {
      enabled: !silent,
      base: undefined,
      messageKey: "event",
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      hooks: {
        // Free text (an error's message, say) may quote an address: the last line of defence.
        logMethod(args, method) {
          const [fields, ...rest] = args as unknown[];
          if (fields && typeof fields === "object")
            for (const [key, value] of Object.entries(fields))
              if (typeof value === "string") (fields as Record<string, unknown>)[key] = redact(value);
          method.apply(this, [fields, ...rest] as Parameters<typeof method>);
        },
      },
    },
    // Lines are written out 4 kB (or a quarter of a second) at a time, not one write(2) each: under
    // load a write per line was the largest single cost of a request (docs/benchmarks.md). What is
    // still buffered when the process exits is written then.
    destination ?? pino.destination({ fd: 1, sync: false, minLength: 4096, periodicFlush: 250 }),
  );
  return {
    info: (event, fields = {}) => base.info({ ...fields }, event),
    warn: (event, fields = {}) => base.warn({ ...fields }, event),
    error: (event, fields = {}) => base.error({ ...fields }, event),
    pino: base,
  };
}
