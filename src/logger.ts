/**
 * The logging surface the engine takes as a parameter. Each call is a fields object plus a short
 * lowercase phrase ("history read"); the CLI and the server decide where lines go.
 */
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
}

function ignore(): void {
  // A logger that drops everything, for callers that did not ask for logs.
}

export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
