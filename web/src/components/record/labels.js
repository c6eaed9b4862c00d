// Chinese names for the codes of the full-process record (全过程记录): the
// types of the objects acts are about, the actions, the algorithms, and a
// one-line summary of an entry's payload for the list.
import { AUDIT_EVENTS, ORG_CHANGES, ROLE_NAMES } from '@/utils/labels.js';

export const RECORD_SUBJECT_TYPES = Object.freeze({
  user: '账号',
  jurisdiction: '行政区划',
  department: '部门',
  agency: '内设机构',
  post: '岗位',
  subject: '执法主体',
});

// The record's actions are named like the audit trail's events of the same
// acts; the security events that only the audit trail has (log-ins,
// refusals) are left out of the choice.
const AUDIT_ONLY = new Set(['auth.login', 'auth.login_failed', 'auth.locked', 'auth.logout', 'access.denied', 'http.refused']);
export const RECORD_ACTIONS = Object.freeze(Object.fromEntries(
  Object.entries(AUDIT_EVENTS).filter(([code]) => !AUDIT_ONLY.has(code)),
));

/** The name under which the public key file is offered for download. */
export const KEY_FILE_NAME = 'xzzf-record-public-key.txt';

export const HASH_ALGORITHMS = Object.freeze({
  sha256: 'SHA-256',
  sm3: 'SM3（国密）',
});

export const SIGNATURE_ALGORITHMS = Object.freeze({
  ed25519: 'Ed25519',
  sm2: 'SM2（国密）',
});

export function subjectTypeLabel(code) {
  return RECORD_SUBJECT_TYPES[code] || code || '—';
}

export function recordActionLabel(code) {
  return RECORD_ACTIONS[code] || AUDIT_EVENTS[code] || code || '—';
}

export function hashAlgorithmLabel(code) {
  return HASH_ALGORITHMS[code] || code || '—';
}

export function signatureAlgorithmLabel(code) {
  return SIGNATURE_ALGORITHMS[code] || code || '—';
}

/** "每 1000 个新条目或每 300 秒（有新条目时）签署一次". */
export function checkpointPolicyText(policy) {
  if (!policy) return '—';
  const parts = [];
  if (policy.every_entries > 0) parts.push(`每新增 ${policy.every_entries} 个条目`);
  if (policy.every_seconds > 0) parts.push(`每 ${formatSeconds(policy.every_seconds)}（期间有新条目时）`);
  return parts.length ? `${parts.join('或')}签署一次检查点，另可按需签署` : '仅按需签署检查点';
}

function formatSeconds(s) {
  if (s % 3600 === 0) return `${s / 3600} 小时`;
  if (s % 60 === 0) return `${s / 60} 分钟`;
  return `${s} 秒`;
}

function shortValue(value) {
  if (value == null || value === '') return '无';
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join('、') || '无';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const PAYLOAD_FIELDS = {
  name: '名称',
  short_name: '简称',
  code: '代码',
  status: '状态',
  roles: '角色',
  role: '角色',
  user_id: '账号编号',
  sessions_ended: '结束的会话数',
  department_id: '部门编号',
  jurisdiction_id: '行政区划编号',
  sectors: '执法领域',
  effective_date: '生效日期',
};

function roleText(value) {
  if (Array.isArray(value)) return value.map((r) => ROLE_NAMES[r] || r).join('、') || '无';
  return ROLE_NAMES[value] || shortValue(value);
}

/**
 * A short text for the list: for a change of the organization (payload
 * { change, effective_date, before, after }) the kind of change and the new
 * name; otherwise the first few fields of the payload.
 */
export function payloadSummary(payload, limit = 80) {
  if (payload == null) return '—';
  if (typeof payload !== 'object') return clip(String(payload), limit);
  const parts = [];
  if (typeof payload.change === 'string') {
    parts.push(ORG_CHANGES[payload.change] || payload.change);
    const after = payload.after && typeof payload.after === 'object' ? payload.after : {};
    const before = payload.before && typeof payload.before === 'object' ? payload.before : {};
    if (after.name && before.name && after.name !== before.name) parts.push(`${before.name} → ${after.name}`);
    else if (after.name || before.name) parts.push(after.name || before.name);
    if (payload.effective_date) parts.push(`生效日期 ${payload.effective_date}`);
  } else {
    for (const [key, value] of Object.entries(payload)) {
      const label = PAYLOAD_FIELDS[key] || key;
      parts.push(`${label}：${key === 'roles' || key === 'role' ? roleText(value) : shortValue(value)}`);
      if (parts.length >= 4) break;
    }
  }
  return clip(parts.join('；') || '—', limit);
}

function clip(text, limit) {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
