// Names and tags the pages of 执法资格 share. The server gives names too
// (employment_name, kind_name, status_name); these are for the filters and
// for codes it gives without one.

/** Officer.employment → 人员性质. Only 在编在职人员 may hold a certificate (条例第二十条). */
export const EMPLOYMENTS = Object.freeze({
  established: '在编在职人员',
  service: '工勤人员',
  contract: '劳动合同工',
  dispatched: '劳务派遣人员',
  temporary: '临时工',
});

export const OFFICER_STATUS = Object.freeze({
  active: { label: '在岗', type: 'success' },
  left: { label: '已离岗', type: 'info' },
});

/** Training.kind: 条例第二十一条 asks for both kinds of law before the exam. */
export const TRAINING_KINDS = Object.freeze({
  public_law: '公共法律知识',
  special_law: '专业法律知识',
  other: '其他',
});

export const CERTIFICATE_KINDS = Object.freeze({
  enforcement: '行政执法证',
  supervision: '行政执法监督证',
});

export const CERTIFICATE_STATUS = Object.freeze({
  applied: { label: '待审核', type: 'warning' },
  rejected: { label: '未通过审核', type: 'info' },
  valid: { label: '有效', type: 'success' },
  suspended: { label: '暂扣', type: 'danger' },
  withdrawn: { label: '收回', type: 'danger' },
  revoked: { label: '取消资格', type: 'danger' },
  expired: { label: '过期', type: 'info' },
});

/**
 * The legal office's actions on an issued certificate, sent by its number
 * (actOnCertificate() in api/personnel.js maps each to the server's path):
 * from which states, whether a reason is needed, and what it does, for the
 * dialog. 换证 has its own dialog (CertificateRenewDialog.vue).
 */
export const CERTIFICATE_ACTIONS = Object.freeze({
  suspend: {
    label: '暂扣', from: ['valid'], reason: true, type: 'danger',
    effect: '暂扣期间持证人不得从事行政执法活动，暂扣可以恢复。',
  },
  lift: {
    label: '恢复', from: ['suspended'], reason: true, type: 'success',
    effect: '解除暂扣，证件恢复有效。',
  },
  withdraw: {
    label: '收回', from: ['valid', 'suspended'], reason: true, type: 'danger',
    effect: '收回后证件失效，持证人不得再持此证从事行政执法活动。',
  },
  revoke: {
    label: '取消资格', from: ['valid', 'suspended', 'withdrawn'], reason: true, type: 'danger',
    effect: '取消持证人的行政执法资格，证件失效，此操作不能撤回。',
  },
  annual_pass: {
    label: '年审通过', from: ['valid'], reason: false, type: 'primary',
    effect: '登记本年度年审合格，下次年审自今日起算。',
  },
  annual_fail: {
    label: '年审不合格', from: ['valid'], reason: true, type: 'warning',
    effect: '年审不合格的，证件暂扣（永政办〔2015〕98号 五（三））。',
  },
  expire: {
    label: '注销过期', from: ['valid', 'suspended'], reason: true, type: 'info',
    effect: '注销有效期届满的证件，证件状态改为过期。',
  },
});

/** CertificateEvent.action → what happened. */
export const CERTIFICATE_EVENTS = Object.freeze({
  apply: '部门申请',
  issue: '审核通过，登记证件编号',
  reject: '审核不予通过',
  suspend: '暂扣',
  lift: '恢复（解除暂扣）',
  withdraw: '收回',
  revoke: '取消资格',
  annual_pass: '年审通过',
  annual_fail: '年审不合格，暂扣',
  expire: '注销过期证件',
  renew: '换证',
});

/** Reminder.reason and level. */
export const REMINDER_REASONS = Object.freeze({ annual_review: '年审', expiry: '到期' });
export const REMINDER_LEVELS = Object.freeze({
  yellow: { label: '即将到期', type: 'warning' },
  red: { label: '已逾期', type: 'danger' },
});

export const certificateStatusOf = (status) => CERTIFICATE_STATUS[status] || { label: status || '—', type: 'info' };
export const certificateKindName = (c) => c?.kind_name || CERTIFICATE_KINDS[c?.kind] || c?.kind || '';
export const employmentName = (o) => o?.employment_name || EMPLOYMENTS[o?.employment] || o?.employment || '';

/** "2026-03-10 至 2029-03-09", or '—' before it is issued. */
export function validity(c) {
  if (!c?.issued_on && !c?.expires_on) return '—';
  return `${c.issued_on || '?'} 至 ${c.expires_on || '?'}`;
}

/** A certificate's links: the console's detail page and the officer's. */
export const certificateLink = (c) => ({ name: 'console-certificate', params: { id: String(c.id) } });
export const officerLink = (officerId) => ({ name: 'console-officer', params: { id: String(officerId) } });
