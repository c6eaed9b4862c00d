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
