// The one way the web UI talks to the xzzf server.
//
// - JSON in and out, cookies of this origin only (credentials: 'same-origin').
// - Every failure becomes an ApiError: the network is down, the request timed
//   out, the server answered 4xx/5xx (with or without the documented error
//   body {"error": {"code", "message", "basis"}}), or it answered something
//   that is not JSON.
// - Mutating requests get their CSRF header in one place: withCsrf() below.

export const API_BASE = '/api/v1';

const DEFAULT_TIMEOUT_MS = 20000;
const MUTATING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Error kinds, for callers that react differently (e.g. 401 → login page). */
export const ErrorKind = Object.freeze({
  NETWORK: 'network', // no answer at all: server down, connection refused, offline
  TIMEOUT: 'timeout', // no answer in time
  HTTP: 'http', // the server answered with a 4xx/5xx status
  PARSE: 'parse', // the server answered 2xx but not with JSON
});

export class ApiError extends Error {
  /**
   * @param {object} o
   * @param {string} o.kind     one of ErrorKind
   * @param {string} o.message  Chinese text for the user
   * @param {number} [o.status] HTTP status, 0 when there was no answer
   * @param {string} [o.code]   the server's error code, e.g. "http.not_found"
   * @param {string} [o.basis]  the legal citation the server gave, if any
   * @param {object} [o.body]   the whole answer, for errors that carry more
   *                            than the error object (an import's row report)
   */
  constructor({ kind, message, status = 0, code = '', basis = '', body = null, cause } = {}) {
    super(message, cause ? { cause } : undefined);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.basis = basis;
    this.body = body;
  }

  /** True when the server was not reached, so retrying later may help. */
  get isUnreachable() {
    return this.kind === ErrorKind.NETWORK || this.kind === ErrorKind.TIMEOUT;
  }
}

// ---- CSRF ---------------------------------------------------------------
// The session endpoint hands out a csrf_token at log-in; the session code
// stores it here and every mutating request sends it as X-CSRF-Token.
let csrfToken = '';

export function setCsrfToken(token) {
  csrfToken = token || '';
}

function withCsrf(method, headers) {
  if (MUTATING_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  return headers;
}

// ---- session lost ---------------------------------------------------------
// When a request answers 401 auth.unauthenticated (the session ended or timed
// out) or 403 auth.password_change_required, the session code is told once,
// here, so that every page sends the user to the login or password page
// instead of each page handling it.
let sessionListener = null;

export function onSessionProblem(listener) {
  sessionListener = listener;
}

function notifySession(error) {
  if (!sessionListener) return;
  if (error.code === 'auth.unauthenticated' || error.code === 'auth.password_change_required') {
    sessionListener(error);
  }
}

// ---- request --------------------------------------------------------------

function buildUrl(path, query) {
  const url = path.startsWith('/api/') ? path : `${API_BASE}${path.startsWith('/') ? '' : '/'}${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.append(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

function statusMessage(status) {
  if (status === 401) return '登录已失效或尚未登录，请重新登录。';
  if (status === 403) return '没有权限执行此操作。';
  if (status === 404) return '请求的资源不存在。';
  if (status === 413) return '提交的内容过大。';
  if (status === 429) return '请求过于频繁，请稍后再试。';
  if (status === 502 || status === 503 || status === 504) return `服务暂时不可用（HTTP ${status}），请稍后重试。`;
  if (status >= 500) return `服务器处理请求时出错（HTTP ${status}），请稍后重试。`;
  return `请求未能完成（HTTP ${status}）。`;
}

async function readJson(response) {
  const text = await response.text();
  if (text === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, value: undefined };
  }
}

function errorFromBody(status, body) {
  const e = body && typeof body === 'object' ? body.error : null;
  if (e && typeof e === 'object' && typeof e.message === 'string' && e.message) {
    return new ApiError({
      kind: ErrorKind.HTTP,
      status,
      code: typeof e.code === 'string' ? e.code : '',
      message: e.message,
      basis: typeof e.basis === 'string' ? e.basis : '',
      body,
    });
  }
  return new ApiError({ kind: ErrorKind.HTTP, status, message: statusMessage(status) });
}

/**
 * Sends one request and resolves with the parsed JSON body (null for an empty
 * body). Rejects with an ApiError.
 *
 * @param {string} method
 * @param {string} path     "/public/info" (relative to /api/v1) or a full "/api/..." path
 * @param {object} [options]
 * @param {any}    [options.body]     sent as JSON
 * @param {object} [options.query]    query parameters; empty values are left out
 * @param {object} [options.headers]
 * @param {AbortSignal} [options.signal]
 * @param {number} [options.timeoutMs]
 */
export async function request(method, path, { body, query, headers = {}, signal, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
  method = method.toUpperCase();
  const allHeaders = withCsrf(method, { Accept: 'application/json', ...headers });
  const init = { method, headers: allHeaders, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    allHeaders['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const onCallerAbort = () => timeout.abort(signal.reason);
  if (signal) {
    if (signal.aborted) timeout.abort(signal.reason);
    else signal.addEventListener('abort', onCallerAbort, { once: true });
  }
  init.signal = timeout.signal;

  let response;
  try {
    response = await fetch(buildUrl(path, query), init);
  } catch (cause) {
    if (signal?.aborted) throw cause; // the caller cancelled: not an error to show
    if (timeout.signal.aborted) {
      throw new ApiError({ kind: ErrorKind.TIMEOUT, message: '服务器长时间没有响应，请检查网络后重试。', cause });
    }
    throw new ApiError({ kind: ErrorKind.NETWORK, message: '请检查网络连接，或稍后重试。如果问题持续存在，请联系系统管理员。', cause });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onCallerAbort);
  }

  const parsed = await readJson(response).catch(() => ({ ok: false }));
  if (!response.ok) {
    const error = errorFromBody(response.status, parsed.ok ? parsed.value : null);
    notifySession(error);
    throw error;
  }
  if (!parsed.ok) {
    throw new ApiError({ kind: ErrorKind.PARSE, status: response.status, message: '服务器返回了无法识别的数据，请稍后重试。' });
  }
  return parsed.value;
}

/**
 * Sends a file as the raw body of a POST, or of a PUT where the file
 * replaces a resource (no JSON, no multipart), and resolves with the parsed
 * JSON answer; rejects with an ApiError like request(). Uses XMLHttpRequest,
 * the one browser API that reports the upload's progress: onProgress(fraction)
 * with 0…1 while the body is sent. No timeout: a large file on a slow line
 * takes what it takes; abort with the signal.
 *
 * @param {string} path
 * @param {Blob} file
 * @param {object} [options]
 * @param {string} [options.method]   'POST' (the default) or 'PUT'
 * @param {object} [options.query]
 * @param {(fraction: number) => void} [options.onProgress]
 * @param {AbortSignal} [options.signal]
 */
export function upload(path, file, { method = 'POST', query, onProgress, signal } = {}) {
  method = method.toUpperCase();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, buildUrl(path, query));
    const headers = withCsrf(method, { Accept: 'application/json' });
    headers['Content-Type'] = file.type || 'application/octet-stream';
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    if (onProgress) {
      xhr.upload.onprogress = (e) => { if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total); };
      xhr.upload.onload = () => onProgress(1);
    }
    const onAbort = () => xhr.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
    xhr.onerror = () => {
      done();
      reject(new ApiError({ kind: ErrorKind.NETWORK, message: '请检查网络连接，或稍后重试。如果问题持续存在，请联系系统管理员。' }));
    };
    xhr.onabort = () => { done(); reject(new DOMException('上传已取消', 'AbortError')); };
    xhr.onload = () => {
      done();
      let parsed = { ok: true, value: null };
      if (xhr.responseText !== '') {
        try { parsed = { ok: true, value: JSON.parse(xhr.responseText) }; } catch { parsed = { ok: false }; }
      }
      if (xhr.status < 200 || xhr.status >= 300) {
        const error = errorFromBody(xhr.status, parsed.ok ? parsed.value : null);
        notifySession(error);
        reject(error);
      } else if (!parsed.ok) {
        reject(new ApiError({ kind: ErrorKind.PARSE, status: xhr.status, message: '服务器返回了无法识别的数据，请稍后重试。' }));
      } else {
        resolve(parsed.value);
      }
    };
    if (signal?.aborted) {
      done();
      reject(new DOMException('上传已取消', 'AbortError'));
      return;
    }
    xhr.send(file);
  });
}

export const api = {
  get: (path, options) => request('GET', path, options),
  post: (path, body, options) => request('POST', path, { ...options, body }),
  put: (path, body, options) => request('PUT', path, { ...options, body }),
  patch: (path, body, options) => request('PATCH', path, { ...options, body }),
  delete: (path, options) => request('DELETE', path, options),
};
