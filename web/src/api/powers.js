// The power list (权责清单): each department's items of administrative power
// (职权事项) with their legal bases, article by article of the law library,
// drafted by the department, reviewed and published by the legal office,
// each change kept as a version of its own.
import { API_BASE, api, upload } from './client.js';

/**
 * query: { department_id, status, category, q, flagged: 'true', norm_id,
 * page, page_size } → { items: [PowerItem without bases], total }, in the
 * caller's scope (a department's roles their own department, the legal
 * office its jurisdiction). q matches part of the name or the code; flagged:
 * 'true' only the items whose bases changed since (依据已变化，待修订);
 * norm_id only the items citing that text of the law library.
 */
export const listPowerItems = (query, options) => api.get('/power-items', { ...options, query });

/**
 * → PowerItem: { id, department_id, department_name, code, name, category,
 * category_name, sector, status (draft, submitted, returned, approved,
 * published, cancelled), status_name, version, published_version, flagged,
 * change (what the version under review does: create, amend, cancel,
 * delegate, transfer), target_department_id, target_department_name (of a
 * delegate or transfer), authorization_id, cancelled_on,
 * effective_from, last_comment, updated_at, scope, agency_id, agency_name,
 * post_id, post_name, responsibility, time_limit, liabilities: [string],
 * bases: [Basis] }. Basis: { norm_id, norm_title, norm_level,
 * norm_version_id, version_date, article, sub, paragraph, item, label,
 * article_text, stale } (stale: a later version changed or removed the
 * article, or the text was repealed). 404 when out of sight.
 */
export const getPowerItem = (id, options) => api.get(`/power-items/${encodeURIComponent(id)}`, options);

/**
 * body: { department_id, code?, name, category, sector, scope?, bases:
 * [{ norm_id, article, sub?, paragraph?, item? }], agency_id?, post_id?,
 * responsibility?, time_limit?, liabilities?: [string], effective_from } →
 * 201 PowerItem in draft. Without code the server makes one
 * (411481-SCJG-CF-001). The bases are checked against the version of each
 * text in force on effective_from: 422 powers.no_basis (none),
 * powers.normative_doc_basis (a 规范性文件), powers.basis_not_in_force, each
 * with its legal basis; 400 powers.article_not_found, powers.invalid; 409
 * powers.duplicate_code. Unknown fields: 400 json.unknown_field.
 */
export const createPowerItem = (body) => api.post('/power-items', body);

/** body: as createPowerItem without department_id and code → PowerItem; only in draft or returned (409 powers.state). */
export const updatePowerItem = (id, body) => api.put(`/power-items/${encodeURIComponent(id)}`, body);

/**
 * A step of the review, body { comment? } → PowerItem:
 *   submit   提交审核 (power.edit; draft or returned)
 *   return   退回, a comment required (power.review; submitted)
 *   approve  审核通过 (power.review; submitted)
 *   publish  公布 (power.review; approved)
 *   amend    发起修订 (power.edit; published): a new version in draft, the
 *            published one stays in force until the new one is published
 *   cancel   申请取消 (power.edit; published), { comment } the reason
 *   delegate 申请下放 (power.edit; published), { comment, department_id
 *            (a township's), authorization_id (a 下放 authorization) }
 *   transfer 申请转移 (power.edit; published), { comment, department_id,
 *            authorization_id? }
 * A cancel, delegate or transfer is submitted at once (change says which)
 * and takes effect when the legal office publishes it: the item is
 * cancelled, or moves to the target department under a new code.
 * 409 powers.state when the item is not in the state the step needs.
 */
export const reviewPowerItem = (id, action, body = {}) =>
  api.post(`/power-items/${encodeURIComponent(id)}/${encodeURIComponent(action)}`, body);

/**
 * → { items: [{ version, status, content, saved_at }], total, reviews:
 * [{ version, action, comment, actor_user_id, at }] }. content: { code,
 * name, category, sector, scope, bases: [{ norm_id, norm_version_id,
 * article, sub, paragraph, item, label }], agency_id, post_id,
 * responsibility, time_limit, liabilities, effective_from }.
 */
export const powerItemVersions = (id, options) => api.get(`/power-items/${encodeURIComponent(id)}/versions`, options);

/**
 * query: { jurisdiction_id? } → { jurisdiction_id, deadline (YYYY-MM-DD or
 * null), today, departments: [{ department_id, department_name, total,
 * draft, submitted, returned, approved, published, cancelled, flagged,
 * complete, overdue }], totals: { total, draft, … flagged } }: how far each
 * department has drawn up its list (清单编制进度).
 */
export const powerListProgress = (query, options) => api.get('/power-items/progress', { ...options, query });

/** body: { jurisdiction_id, deadline } (power.review) → { jurisdiction_id, deadline }. */
export const setPowerListDeadline = (body) => api.post('/power-items/deadline', body);

/** The import template (.xlsx, headers only): a plain link downloads it with the session's cookie. */
export const POWER_TEMPLATE_URL = `${API_BASE}/power-items/template`;

/**
 * Imports drafts from a filled-in template, the .xlsx file as the raw body:
 * all rows or none. → { imported, report: [] }. A refused file rejects with
 * an ApiError (400 powers.import_invalid) whose body.report lists
 * [{ row, column, message }]. onProgress(0…1) while the file is sent.
 */
export const importPowerItems = (departmentId, file, { onProgress, signal } = {}) =>
  upload('/power-items/import', file, { query: { department_id: departmentId }, onProgress, signal });
