// Organization: jurisdictions (行政区划), departments, agencies (内设机构),
// posts (岗位), enforcement subjects (执法主体).
import { api } from './client.js';

export const listSectors = (options) => api.get('/sectors', options);

export const listJurisdictions = (options) => api.get('/jurisdictions', options);
export const createJurisdiction = (body) => api.post('/jurisdictions', body);

/** query: { jurisdiction_id, q, include_inactive, page, page_size } */
export const listDepartments = (query, options) => api.get('/departments', { ...options, query });
export const getDepartment = (id, options) => api.get(`/departments/${id}`, options);
export const createDepartment = (body) => api.post('/departments', body);
export const updateDepartment = (id, body) => api.put(`/departments/${id}`, body);
export const mergeDepartment = (id, body) => api.post(`/departments/${id}/merge`, body);
export const departmentHistory = (id, options) => api.get(`/departments/${id}/history`, options);

export const listAgencies = (departmentId, options) => api.get(`/departments/${departmentId}/agencies`, options);
export const createAgency = (departmentId, body) => api.post(`/departments/${departmentId}/agencies`, body);

export const listPosts = (departmentId, options) => api.get(`/departments/${departmentId}/posts`, options);
export const createPost = (departmentId, body) => api.post(`/departments/${departmentId}/posts`, body);

/** query: { status, department_id, page, page_size } */
export const listSubjects = (query, options) => api.get('/subjects', { ...options, query });
export const proposeSubject = (body) => api.post('/subjects', body);
export const confirmSubject = (id, body) => api.post(`/subjects/${id}/confirm`, body);
export const revokeSubject = (id, body) => api.post(`/subjects/${id}/revoke`, body);
export const publishSubject = (id) => api.post(`/subjects/${id}/publish`);
