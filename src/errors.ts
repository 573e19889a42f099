/**
 * Every error tandem expects to meet, each with a stable code that scripts and the HTTP API can
 * rely on, and the exit code the CLI ends with. Messages name the input and what is wrong with
 * it; the stack is only worth showing for errors that are not listed here.
 */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_ENTITY_ID'
  | 'FILE_NOT_FOUND'
  | 'RECORDER_UNREADABLE'
  | 'RECORDER_SCHEMA_UNSUPPORTED'
  | 'RECORDER_LOCKED'
  | 'NO_DATA'
  | 'CALENDAR_INVALID'
  | 'CALENDAR_UNAVAILABLE'
  | 'SOURCE_FORMAT_INVALID'
  | 'STORE_UNREADABLE'
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'RATE_LIMITED'
  | 'HOME_ASSISTANT_AUTH_INVALID'
  | 'HOME_ASSISTANT_UNAVAILABLE';

interface ErrorSpec {
  httpStatus: number;
  exitCode: number;
}

const SPECS: Record<ErrorCode, ErrorSpec> = {
  INVALID_ARGUMENT: { httpStatus: 400, exitCode: 2 },
  INVALID_ENTITY_ID: { httpStatus: 400, exitCode: 2 },
  FILE_NOT_FOUND: { httpStatus: 404, exitCode: 3 },
  RECORDER_UNREADABLE: { httpStatus: 422, exitCode: 3 },
  RECORDER_SCHEMA_UNSUPPORTED: { httpStatus: 422, exitCode: 3 },
  RECORDER_LOCKED: { httpStatus: 503, exitCode: 4 },
  NO_DATA: { httpStatus: 404, exitCode: 5 },
  CALENDAR_INVALID: { httpStatus: 422, exitCode: 3 },
  CALENDAR_UNAVAILABLE: { httpStatus: 503, exitCode: 4 },
  SOURCE_FORMAT_INVALID: { httpStatus: 422, exitCode: 3 },
  STORE_UNREADABLE: { httpStatus: 500, exitCode: 3 },
  UNAUTHORIZED: { httpStatus: 401, exitCode: 2 },
  NOT_FOUND: { httpStatus: 404, exitCode: 5 },
  RATE_LIMITED: { httpStatus: 429, exitCode: 4 },
  HOME_ASSISTANT_AUTH_INVALID: { httpStatus: 502, exitCode: 3 },
  HOME_ASSISTANT_UNAVAILABLE: { httpStatus: 503, exitCode: 4 },
};

export class TandemError extends Error {
  readonly code: ErrorCode;
  readonly httpStatus: number;
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TandemError';
    this.code = code;
    this.httpStatus = SPECS[code].httpStatus;
    this.exitCode = SPECS[code].exitCode;
  }
}

export function isTandemError(error: unknown): error is TandemError {
  return error instanceof TandemError;
}
