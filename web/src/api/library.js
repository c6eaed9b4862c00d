// The law library (法律法规库): the official texts of the laws, regulations
// and rules enforcement is based on, each amendment (修正、修订) kept as a
// version of its own, article by article.
import { api } from './client.js';

/**
 * query: { q, level, page, page_size } → { items: [Norm], total }. q matches
 * part of the title; level is one of law, admin_regulation,
 * local_regulation, dept_rule, local_gov_rule, normative_doc (400
 * query.invalid for another one). Norm: { id, title, level, level_name,
 * issuer, doc_number, region_code, adopted_on, repealed_on, version_count,
 * latest_version_id, latest_version_date, latest_effective_on }.
 */
export const listNorms = (query, options) => api.get('/norms', { ...options, query });

/** → Norm; 404 library.norm_not_found. */
export const getNorm = (id, options) => api.get(`/norms/${encodeURIComponent(id)}`, options);

/**
 * → { items: [Version] } in date order. Version: { id, norm_id,
 * version_date, effective_on (null: the text does not say), kind (adopted,
 * promulgated, amended, revised, other), history, source, text_sha256,
 * article_count, changed_count, removed_articles: [label] }. changed_count
 * and removed_articles compare with the version before (none for the first).
 */
export const normVersions = (id, options) => api.get(`/norms/${encodeURIComponent(id)}/versions`, options);

/**
 * query: { version_id } or { date: 'YYYY-MM-DD' } (the version in force
 * that day; 404 library.version_not_found when none), neither for the latest
 * version → { items: [Article] }. Article: { id, version_id, number, sub,
 * label, chapter ("第四章 …" or "第五章 … · 第一节 …", may be ""), text
 * (paragraphs separated by \n), change (none, new, changed) }.
 */
export const normArticles = (id, query, options) =>
  api.get(`/norms/${encodeURIComponent(id)}/articles`, { ...options, query });

/**
 * 录入修正 (library.manage): body { version_date, effective_on (or null),
 * kind (amended 修正, revised 修订), note (the history line), source,
 * articles: [{ number, sub, text }] (changed or new, 款 one per line),
 * removed: [{ number, sub }] } → { norm_id, version_id, changed_count,
 * removed_articles: [label] }. The new version is the previous text with
 * these changes; the items citing a changed or removed article become
 * flagged (待修订).
 */
export const amendNorm = (id, body) => api.post(`/norms/${encodeURIComponent(id)}/amend`, body);

/**
 * 废止 (library.manage): body { repealed_on, note } → Norm with repealed_on
 * set; every item citing the text becomes flagged.
 */
export const repealNorm = (id, body) => api.post(`/norms/${encodeURIComponent(id)}/repeal`, body);
