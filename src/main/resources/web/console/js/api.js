// The admin API client. The admin token lives in this tab's session storage only and is sent
// as a bearer token; the console never uses cookies (credentials: 'omit'), so there is no CSRF
// surface: another site cannot make this browser send the token.

const TOKEN_KEY = 'iklan.console.adminToken';

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token) => sessionStorage.setItem(TOKEN_KEY, token),
  signOut: () => sessionStorage.removeItem(TOKEN_KEY),
};

let unauthorized = () => {};

/** Called when the server refuses the token of this session (it has been forgotten then). */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

/** A failed call: status 0 when the server could not be reached; problem is the RFC 9457 body. */
export class ApiError extends Error {
  constructor(status, problem, fallback) {
    super(problem?.detail || fallback || `the server answered ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/**
 * One call to the server. Resolves with the Response when it is 2xx; rejects with an ApiError
 * otherwise. ifMatch is a version number (sent as "n").
 */
export async function call(method, path, { body, type, accept, ifMatch, headers = {}, token = session.token() } = {}) {
  const sent = { ...headers };
  if (token) sent.Authorization = `Bearer ${token}`;
  if (type) sent['Content-Type'] = type;
  if (accept) sent.Accept = accept;
  if (ifMatch != null) sent['If-Match'] = `"${ifMatch}"`;
  let response;
  try {
    response = await fetch(path, { method, headers: sent, body, cache: 'no-store', credentials: 'omit' });
  } catch (e) {
    throw new ApiError(0, null, `the server could not be reached (${e.message})`);
  }
  if (response.ok) return response;
  let problem = null;
  try {
    if ((response.headers.get('Content-Type') || '').includes('json')) problem = await response.json();
  } catch {
    problem = null;
  }
  const error = new ApiError(response.status, problem, `the server answered ${response.status}`);
  if (response.status === 401 && token && token === session.token()) {
    session.signOut();
    unauthorized(error);
  }
  throw error;
}

/** The version number in an ETag ("7" or W/"7"), or null. */
export function versionOf(response) {
  const match = /(\d+)/.exec(response.headers.get('ETag') || '');
  return match ? Number(match[1]) : null;
}

export async function getJson(path, options) {
  const response = await call('GET', path, options);
  return { data: await response.json(), version: versionOf(response) };
}

async function write(method, path, options) {
  const response = await call(method, path, options);
  return response.json();
}

const enc = encodeURIComponent;

/** Checks a token without keeping it: true when the server accepts it. */
export async function checkToken(token) {
  try {
    await call('GET', '/v1/admin/versions', { token });
    return true;
  } catch (e) {
    if (e.status === 401) return false;
    throw e;
  }
}

export const admin = {
  rules: () => getJson('/v1/admin/campaigns'),
  campaign: (id) => getJson(`/v1/admin/campaigns/${enc(id)}`),
  /** POST one campaign (add or replace by id). */
  putCampaign: (campaign, ifMatch) =>
    write('POST', '/v1/admin/campaigns', { body: JSON.stringify(campaign), type: 'application/json', ifMatch }),
  deleteCampaign: (id, ifMatch) => write('DELETE', `/v1/admin/campaigns/${enc(id)}`, { ifMatch }),
  /** An upload: mode 'merge' (POST) or 'replace' (PUT); type text/csv or application/json. */
  upload: (text, type, mode, { dryRun = false, ifMatch } = {}) =>
    write(mode === 'replace' ? 'PUT' : 'POST', `/v1/admin/campaigns${dryRun ? '?dryRun=true' : ''}`,
      { body: text, type: `${type}; charset=utf-8`, ifMatch }),
  versions: () => getJson('/v1/admin/versions').then((r) => r.data),
  restore: (version, { dryRun = false, ifMatch } = {}) =>
    write('POST', `/v1/admin/versions/${enc(version)}/restore${dryRun ? '?dryRun=true' : ''}`, { ifMatch }),
  /** The report; from/to are YYYY-MM-DD (both default to today on the server). */
  report: ({ from, to, by = 'campaign' } = {}) => {
    const query = new URLSearchParams({ by });
    if (from) query.set('from', from);
    if (to) query.set('to', to);
    return getJson(`/v1/admin/report?${query}`).then((r) => r.data);
  },
  reportPath: ({ from, to, by }) => `/v1/admin/report?${new URLSearchParams({ from, to, by })}`,
  /** An explained ad request; geo goes in the edge headers a CDN would set. */
  explain: async (request, geo = {}) => {
    const headers = {};
    if (geo.country) headers['X-Geo-Country'] = geo.country;
    if (geo.region) headers['X-Geo-Region'] = geo.region;
    if (geo.city) headers['X-Geo-City'] = geo.city;
    const response = await call('POST', '/v1/ads', {
      body: JSON.stringify({ ...request, explain: true }), type: 'application/json', headers,
    });
    return response.json();
  },
};

/** Downloads what path answers (with accept) as a file. */
export async function download(path, accept, fallbackName) {
  const response = await call('GET', path, { accept });
  const blob = await response.blob();
  const disposition = response.headers.get('Content-Disposition') || '';
  const match = /filename="?([^";]+)"?/i.exec(disposition);
  const name = match ? match[1] : fallbackName;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
  return name;
}

/** A person-readable sentence for any error. */
export function describe(error) {
  if (error instanceof ApiError) {
    const field = error.problem?.field ? ` (${error.problem.field})` : '';
    return `${error.problem?.title || 'Error'}: ${error.message}${field}`;
  }
  return error?.message || String(error);
}
