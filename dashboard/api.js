/**
 * The tandem API as the page calls it: JSON both ways, the API token on every request once the
 * server has asked for one, and the server's own error message kept for the reader.
 */

const TOKEN_KEY = 'tandem.apiToken';

/** An answer the page cannot use, with the server's `{ error: { code, message } }` when given. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/**
 * @param {(refused: boolean) => Promise<string>} askToken asks the reader for the API token;
 *   `refused` says the server turned down the one stored.
 */
export function createApi(askToken) {
  let asking = null;

  /** Requests refused together share one question; one refused after it takes its answer. */
  function tokenAfterRefusal(sent) {
    const stored = localStorage.getItem(TOKEN_KEY);
    if (stored !== null && stored !== sent) {
      return Promise.resolve(stored);
    }

    asking ??= askToken(sent !== null)
      .then((token) => {
        localStorage.setItem(TOKEN_KEY, token);
        return token;
      })
      .finally(() => {
        asking = null;
      });
    return asking;
  }

  async function request(path, init) {
    let token = localStorage.getItem(TOKEN_KEY);
    for (;;) {
      const response = await send(path, init, token);
      if (response.status !== 401) {
        return readBody(response);
      }

      token = await tokenAfterRefusal(token);
    }
  }

  return {
    /** `path` is relative, so that the page also works below a proxy's prefix. */
    get: (path) => request(path, { method: 'GET' }),
    post: (path, body) => request(path, { method: 'POST', body: JSON.stringify(body) }),
  };
}

async function send(path, init, token) {
  const headers = { accept: 'application/json' };
  if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
  }

  if (token !== null) {
    headers.authorization = `Bearer ${token}`;
  }

  try {
    return await fetch(path, { ...init, headers });
  } catch {
    throw new ApiError(0, 'UNREACHABLE', 'the tandem server cannot be reached; is it running?');
  }
}

async function readBody(response) {
  const body = await response.json().catch(() => null);
  if (response.ok) {
    return body;
  }

  const error = body?.error;
  throw new ApiError(
    response.status,
    error?.code ?? `HTTP_${response.status}`,
    error?.message ?? `the server answered ${response.status} ${response.statusText}`,
  );
}
