// Accounts and roles (三员: sysadmin manages accounts, secadmin grants roles).
import { api } from './client.js';

export const listRoles = (options) => api.get('/roles', options);

export const listUsers = (query, options) => api.get('/users', { ...options, query });
export const getUser = (id, options) => api.get(`/users/${id}`, options);
/** → { user, initial_password } */
export const createUser = (body) => api.post('/users', body);
export const updateUser = (id, body) => api.put(`/users/${id}`, body);
/** → { initial_password } */
export const resetPassword = (id) => api.post(`/users/${id}/reset-password`);
export const unlockUser = (id) => api.post(`/users/${id}/unlock`);
export const setUserRoles = (id, roles) => api.put(`/users/${id}/roles`, { roles });
