// Public endpoints (no login).
import { api, ApiError, ErrorKind } from './client.js';

/**
 * GET /api/v1/public/info → { name, version, time }
 * time: the server's current time in Asia/Shanghai, ISO 8601 with offset.
 */
export async function getPublicInfo(options) {
  const info = await api.get('/public/info', options);
  if (!info || typeof info.name !== 'string' || typeof info.version !== 'string') {
    throw new ApiError({ kind: ErrorKind.PARSE, status: 200, message: '服务器返回的系统信息不完整，请稍后重试。' });
  }
  return { name: info.name, version: info.version, time: typeof info.time === 'string' ? info.time : '' };
}

/**
 * GET /api/v1/public/subjects?q=&department_id=&page=&page_size= → { items, total }:
 * the confirmed and published 执法主体 of the deployment.
 */
export const listPublicSubjects = (query, options) => api.get('/public/subjects', { ...options, query });

/**
 * GET /api/v1/public/power-items?q=&department_id=&category=&page=&page_size=
 * → { items: [{ id, code, name, category, category_name, sector,
 * department_id, department_name, bases: [{ label }] }], total, page,
 * page_size }: the published items of the power list (权责清单). q is a
 * substring of the name, the code, the department's name or a basis's
 * title (normalized: full-width and upper case match too).
 */
export const listPublicPowerItems = (query, options) => api.get('/public/power-items', { ...options, query });

/**
 * GET /api/v1/public/power-items/summary → { departments: [{ id, name,
 * count }], categories: [{ code, name, count }] }: the published items
 * counted by department and by category, for the filters.
 */
export const getPublicPowerSummary = (options) => api.get('/public/power-items/summary', options);

/**
 * GET /api/v1/public/power-items/{id} → { id, code, name, category,
 * category_name, sector, department_id, department_name, scope,
 * responsibility, time_limit, liabilities: [string], effective_from,
 * agency_name, post_name, version, published_at_us, bases: [{ label,
 * norm_id, norm_title, norm_level, version_date, article_text }] }: the
 * published version of one item. 404 when there is no such published item.
 */
export const getPublicPowerItem = (id, options) => api.get(`/public/power-items/${encodeURIComponent(id)}`, options);
