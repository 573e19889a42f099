import { TandemError } from '../../errors.js';

export interface HttpOptions {
  /** The name used in errors: a redacted URL or an entity id, never a token. */
  name: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * GETs a URL as text with a deadline and a size limit. Network failures, timeouts and oversize
 * bodies become `CALENDAR_UNAVAILABLE`; any HTTP status is returned for the caller to judge.
 */
export async function fetchText(url: string, options: HttpOptions): Promise<HttpResult> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  const get = options.fetch ?? fetch;

  try {
    const response = await get(url, { headers: options.headers, signal, redirect: 'follow' });
    const text = await readLimited(response, options);
    return { status: response.status, headers: response.headers, text };
  } catch (error) {
    if (error instanceof TandemError) {
      throw error;
    }

    const timedOut = deadline.aborted;
    const reason = timedOut ? `no answer within ${options.timeoutMs} ms` : describe(error);
    throw new TandemError('CALENDAR_UNAVAILABLE', `${options.name}: ${reason}`, { cause: error });
  }
}

async function readLimited(response: Response, options: HttpOptions): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > options.maxBytes) {
    await response.body?.cancel();
    throw tooLarge(options);
  }

  if (response.body === null) {
    return '';
  }

  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > options.maxBytes) {
      throw tooLarge(options);
    }

    chunks.push(chunk);
  }

  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(options: HttpOptions): TandemError {
  return new TandemError(
    'CALENDAR_UNAVAILABLE',
    `${options.name}: the answer is larger than the ${options.maxBytes}-byte limit`,
  );
}

/** The cause a network error carries (ECONNREFUSED, ENOTFOUND) says more than "fetch failed". */
export function describe(error: unknown): string {
  if (!(error instanceof Error)) {
    return String(error);
  }

  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/**
 * Removes what makes a calendar URL a secret before it is shown or logged: the user and
 * password, query values, and Google's `private-…` path segment.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    for (const key of [...parsed.searchParams.keys()]) {
      parsed.searchParams.set(key, '…');
    }

    parsed.pathname = parsed.pathname.replace(/\/private-[^/]+/, '/private-…');
    return decodeURI(parsed.toString());
  } catch {
    return '(unreadable URL)';
  }
}
