// The caller's session: log in and out, who is logged in, own password.
import { api } from './client.js';

/** GET /session → { user, csrf_token, must_change_password, permissions } */
export const getSession = (options) => api.get('/session', options);

/** POST /session → same shape as getSession. */
export const login = (username, password) => api.post('/session', { username, password });

/** DELETE /session → the session ends on the server. */
export const logout = () => api.delete('/session');

/** PUT /session/password → 204. */
export const changePassword = (currentPassword, newPassword) =>
  api.put('/session/password', { current_password: currentPassword, new_password: newPassword });
