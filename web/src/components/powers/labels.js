// Names and formats the power list's pages share.
import { isItem } from '@/components/library/labels.js';

/** PowerItem.category → 职权类别, in the order of the list. */
export const POWER_CATEGORIES = Object.freeze({
  license: '行政许可',
  penalty: '行政处罚',
  coercion: '行政强制',
  confirmation: '行政确认',
  payment: '行政给付',
  levy: '行政征收',
  adjudication: '行政裁决',
  inspection: '行政检查',
  other: '其他行政权力',
});

/** PowerItem.status → its name and tag. */
export const POWER_STATUS = Object.freeze({
  draft: { label: '草稿', type: 'info' },
  submitted: { label: '待审核', type: 'warning' },
  returned: { label: '已退回', type: 'danger' },
  approved: { label: '已审核', type: 'primary' },
  published: { label: '已公布', type: 'success' },
  cancelled: { label: '已取消', type: 'info' },
});

/** The steps of the review (the versions' review trail). */
export const REVIEW_ACTIONS = Object.freeze({
  submit: { label: '提交审核', type: 'primary' },
  return: { label: '退回', type: 'danger' },
  approve: { label: '审核通过', type: 'success' },
  publish: { label: '公布', type: 'success' },
  amend: { label: '发起修订', type: 'warning' },
  cancel: { label: '申请取消', type: 'danger' },
  delegate: { label: '申请下放', type: 'warning' },
  transfer: { label: '申请转移', type: 'warning' },
  withdraw: { label: '撤回申请', type: 'info' },
});

/** PowerItem.change: what the version under review does. */
export const POWER_CHANGES = Object.freeze({
  create: { label: '新增事项', type: 'info' },
  amend: { label: '修订', type: 'primary' },
  cancel: { label: '申请取消', type: 'danger' },
  delegate: { label: '下放', type: 'warning' },
  transfer: { label: '转移', type: 'warning' },
});

/**
 * What approving the item's pending version does, for the reviewer:
 * "申请取消", "下放至 永城市芒山镇人民政府", "修订"; '' for none.
 */
export function changeText(item) {
  const change = POWER_CHANGES[item?.change];
  if (!change) return '';
  if (item.change === 'delegate' || item.change === 'transfer') {
    return `${change.label}至 ${item.target_department_name || `部门 ${item.target_department_id ?? ''}`}`.trim();
  }
  return change.label;
}

/** The item's change still waits for review or publication (not a plain draft of a new item). */
export const pendingChange = (item) => !!item?.change && item.change !== 'create'
  && ['draft', 'submitted', 'returned', 'approved'].includes(item.status);

/** Norm.level that can be listed but not cited as a basis of enforcement. */
export const NOT_A_BASIS_LEVEL = 'normative_doc';

export const categoryName = (item) => item?.category_name || POWER_CATEGORIES[item?.category] || item?.category || '';
export const statusOf = (status) => POWER_STATUS[status] || { label: status, type: 'info' };

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → "一", 12 → "十二", 124 → "一百二十四", 105 → "一百零五" (up to 9999). */
export function chineseNumber(n) {
  const value = Math.trunc(Number(n));
  if (!Number.isFinite(value) || value <= 0 || value > 9999) return String(n);
  const units = ['', '十', '百', '千'];
  const digits = String(value).split('').map(Number);
  let out = '';
  let zero = false;
  digits.forEach((d, i) => {
    const unit = units[digits.length - 1 - i];
    if (d === 0) { zero = out !== ''; return; }
    if (zero) out += '零';
    zero = false;
    out += (d === 1 && unit === '十' && out === '' ? '' : DIGITS[d]) + unit;
  });
  return out;
}

/**
 * The label of a basis as the server writes it, for a basis not yet saved:
 * "《中华人民共和国食品安全法》第一百二十四条第一款第（三）项".
 * articleLabel is the article's own label ("第一百二十四条", "第十条之一").
 */
export function basisLabel(title, articleLabel, paragraph = 0, item = 0) {
  let text = `《${title}》${articleLabel}`;
  if (paragraph > 0) text += `第${chineseNumber(paragraph)}款`;
  if (item > 0) text += `第（${chineseNumber(item)}）项`;
  return text;
}

/**
 * An article's text as its paragraphs (款), each with its items (项):
 * [{ text, items: [text] }]. Lines that are items belong to the paragraph
 * before them.
 */
export function articleParagraphs(text) {
  const out = [];
  for (const line of String(text || '').split('\n')) {
    if (line.trim() === '') continue;
    if (isItem(line) && out.length) out.at(-1).items.push(line);
    else out.push({ text: line, items: [] });
  }
  return out;
}

/** The body of a basis as the API takes it (zeros left out). */
export function basisBody(b) {
  const body = { norm_id: b.norm_id, article: b.article };
  if (b.sub) body.sub = b.sub;
  if (b.paragraph) body.paragraph = b.paragraph;
  if (b.item) body.item = b.item;
  return body;
}

/** Two bases cite the same provision. */
export const sameBasis = (a, b) => a.norm_id === b.norm_id && a.article === b.article
  && (a.sub || 0) === (b.sub || 0) && (a.paragraph || 0) === (b.paragraph || 0) && (a.item || 0) === (b.item || 0);
