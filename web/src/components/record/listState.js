// The address query of the record list last shown (记录浏览), so that the
// way back from an entry (its breadcrumb) returns to the same filters and
// page. Kept in sessionStorage: it survives a reload of the entry page and
// ends with the browser tab.
const KEY = 'xzzf.record.listQuery';

export function rememberListQuery(query) {
  try {
    window.sessionStorage.setItem(KEY, JSON.stringify(query));
  } catch {
    // Storage refused (private mode, quota): the way back shows the whole list.
  }
}

export function lastListQuery() {
  try {
    const value = JSON.parse(window.sessionStorage.getItem(KEY) || '{}');
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string'));
  } catch {
    return {};
  }
}
