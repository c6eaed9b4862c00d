// Names and formats the law library's pages share.

/** Norm.level → 效力层级, in the order of the hierarchy. */
export const NORM_LEVELS = Object.freeze({
  law: '法律',
  admin_regulation: '行政法规',
  local_regulation: '地方性法规',
  dept_rule: '部门规章',
  local_gov_rule: '地方政府规章',
  normative_doc: '规范性文件',
});

/** Norm.region_code → 适用地域. */
export const NORM_REGIONS = Object.freeze({
  '000000': '全国',
  '410000': '河南省',
  '411400': '商丘市',
});

export const regionName = (code) => NORM_REGIONS[code] || (code ? `行政区划代码 ${code}` : '—');

/** Version.kind → what the version was made by. */
export const VERSION_KINDS = Object.freeze({
  adopted: '通过',
  promulgated: '公布',
  amended: '修正',
  revised: '修订',
  other: '其他',
});

/** Article.change → the tag an article carries in its version (none: no tag). */
export const ARTICLE_CHANGES = Object.freeze({
  new: { label: '新增', type: 'success' },
  changed: { label: '修改', type: 'warning' },
});

/** "2022-09-02 修订" */
export const versionTitle = (v) => `${v.version_date} ${VERSION_KINDS[v.kind] || v.kind || ''}`.trim();

/** "施行日期 2023-01-01" or that the text does not say. */
export const effectiveText = (date) => date || '文本未载明';

/**
 * What a version changed against the one before: "变更 17 条，删去 1 条";
 * the first version in the library has nothing to compare with.
 */
export function changeSummary(v, first) {
  if (first) return '库内最早版本';
  const parts = [`变更 ${v.changed_count} 条`];
  if (v.removed_articles?.length) parts.push(`删去 ${v.removed_articles.length} 条`);
  return parts.join('，');
}

/**
 * "第五章 行政处罚的决定 · 第一节 一般规定" → { chapter: "第五章 行政处罚的决定",
 * section: "第一节 一般规定" }.
 */
export function splitChapter(text) {
  const [chapter, ...rest] = String(text || '').split(' · ');
  return { chapter: chapter.trim(), section: rest.join(' · ').trim() };
}

/** An article's paragraph that is an item (项): "（一）……". */
export const isItem = (line) => /^（[一二三四五六七八九十百]+）/.test(line);
