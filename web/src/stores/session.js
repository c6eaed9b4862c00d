// The logged-in user of the console, shared by the router guard, the layout
// and the pages: who it is, what they may do, whether they must change their
// password first. Loaded once from GET /session when the console opens; the
// csrf_token of the session goes to the API client for mutating requests.
import { readonly, shallowReactive } from 'vue';
import { ErrorKind, onSessionProblem, setCsrfToken } from '@/api/client.js';
import * as sessionApi from '@/api/session.js';

// 三员 roles: they manage accounts, roles and the audit trail and read no
// business data. Their org.read permission only serves to pick a department
// for an account, so the organization pages stay out of their menu.
export const SANYUAN_ROLES = Object.freeze(['sysadmin', 'secadmin', 'auditor']);

const state = shallowReactive({
  user: null, // User of the API contract
  permissions: new Set(),
  mustChangePassword: false,
  loaded: false, // GET /session has answered (logged in or not)
  error: null, // ApiError when the session could not be checked (network, 5xx)
  expired: false, // the last session ended while the console was open
});

let pending = null;

function apply(answer) {
  if (state.user && answer.user?.id !== state.user.id) for (const reset of resetters) reset();
  state.user = answer.user;
  state.permissions = new Set(answer.permissions || []);
  state.mustChangePassword = !!answer.must_change_password;
  state.loaded = true;
  state.error = null;
  state.expired = false;
  setCsrfToken(answer.csrf_token);
}

// Caches of other stores that belong to one user (e.g. the departments in
// their scope) register here and are emptied when the user changes.
const resetters = [];
export function onUserChange(reset) {
  resetters.push(reset);
}

function clear({ expired = false } = {}) {
  const wasLoggedIn = !!state.user;
  for (const reset of resetters) reset();
  state.user = null;
  state.permissions = new Set();
  state.mustChangePassword = false;
  state.loaded = true;
  state.error = null;
  // Several requests in flight may each find the session gone: the first one
  // (while still logged in) marks it expired, the others leave the mark.
  if (!expired) state.expired = false;
  else if (wasLoggedIn) state.expired = true;
  setCsrfToken('');
}

/** Checks the session with the server once; `force` checks again. */
export function loadSession({ force = false } = {}) {
  if (pending) return pending;
  if (state.loaded && !force) return Promise.resolve(state);
  pending = sessionApi.getSession()
    .then((answer) => { apply(answer); return state; })
    .catch((error) => {
      if (error.kind === ErrorKind.HTTP && error.status === 401) clear();
      else state.error = error;
      return state;
    })
    .finally(() => { pending = null; });
  return pending;
}

export async function logIn(username, password) {
  const answer = await sessionApi.login(username, password);
  apply(answer);
  return state;
}

export async function logOut() {
  try {
    await sessionApi.logout();
  } finally {
    clear();
  }
}

export async function changeOwnPassword(current, next) {
  await sessionApi.changePassword(current, next);
  // Other sessions of the user ended; this one goes on without the obligation.
  state.mustChangePassword = false;
  await loadSession({ force: true });
}

export function useSession() {
  return readonly(state);
}

export function hasPermission(code) {
  return state.permissions.has(code);
}

/** True when every role of the caller is a 三员 role. */
export function isSanyuanOnly() {
  const roles = state.user?.roles || [];
  return roles.length > 0 && roles.every((r) => SANYUAN_ROLES.includes(r));
}

/**
 * May the caller open a page with this access rule?
 *   { any: ['user.read', 'role.grant'] }  one of these permissions
 *   { business: true }                     not for 三员 accounts
 */
export function canAccess(access) {
  if (!access) return !!state.user;
  if (!state.user) return false;
  if (access.business && isSanyuanOnly()) return false;
  if (access.any && !access.any.some((p) => state.permissions.has(p))) return false;
  return true;
}

// A request answered 401 auth.unauthenticated (session ended) or 403
// auth.password_change_required: the router listens through this callback.
let problemHandler = null;
export function onSessionLost(handler) {
  problemHandler = handler;
}
onSessionProblem((error) => {
  if (error.code === 'auth.unauthenticated') clear({ expired: true });
  else if (error.code === 'auth.password_change_required') state.mustChangePassword = true;
  problemHandler?.(error);
});
