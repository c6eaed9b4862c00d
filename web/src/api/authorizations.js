// Authorizations (授权与委托) under which a department's powers are exercised
// by another: 下放 to a township (行政处罚法 第二十四条), 相对集中行政处罚权
// (第十八条第二款) and 委托 to an organisation (第二十条), each with its
// document, dates, scope and the items of the power list it covers.
import { api } from './client.js';

/**
 * query: { kind (delegate, concentrate, entrust), department_id, page,
 * page_size } → { items: [Authorization], total, page, page_size }.
 * Authorization: { id, kind, kind_name, title, doc_number, issuer,
 * decided_on, effective_on, valid_until, grantor_department_id,
 * grantor_department_name, grantee_department_id, grantee_department_name,
 * grantee_name, scope, items: [{ id, code, name }], created_at_us }.
 */
export const listAuthorizations = (query, options) => api.get('/authorizations', { ...options, query });

/** → Authorization; 404 when out of sight. */
export const getAuthorization = (id, options) => api.get(`/authorizations/${encodeURIComponent(id)}`, options);

/**
 * body (power.review): { kind, title, doc_number, issuer, decided_on,
 * effective_on, valid_until (or null), grantor_department_id,
 * grantee_department_id (or null), grantee_name ('' unless 委托 to an
 * organisation), scope, item_ids: [int] } → Authorization. A refusal
 * carries its legal basis (a 下放 to a department that is not a township's,
 * a 委托 without items, scope or term).
 */
export const createAuthorization = (body) => api.post('/authorizations', body);
