// The security audit trail (auditor only).
import { api } from './client.js';

/** query: { event, actor, from, to, page, page_size } → { items, total } */
export const listAudit = (query, options) => api.get('/audit', { ...options, query });
