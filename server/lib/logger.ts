// Structured logs on stdout. Callers pass ids and counts only: no email address, phone number or
// token is ever logged (docs/operations.md); redact() is a last line of defence for free text.
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

const EMAIL = /[^\s@"'<>]+@[^\s@"'<>]+\.[^\s@"'<>]+/g;
const PHONE = /\+\d{7,15}/g;

export function redact(text: string): string {
  return text.replace(EMAIL, "[email]").replace(PHONE, "[phone]");
}

export function createLogger(write: (line: string) => void = (l) => process.stdout.write(`${l}\n`), silent = false): Logger {
  const emit = (level: string, event: string, fields: Record<string, unknown> = {}) => {
    if (silent) return;
    write(redact(JSON.stringify({ t: new Date().toISOString(), level, event, ...fields })));
  };
  return {
    info: (e, f) => emit("info", e, f),
    warn: (e, f) => emit("warn", e, f),
    error: (e, f) => emit("error", e, f),
  };
}
