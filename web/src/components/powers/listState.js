// The address query of the power list last shown, so that the way back from
// an item (its breadcrumb) returns to the same filters and page. Kept in
// sessionStorage: it survives a reload of the item's page and ends with the
// browser tab.
const KEY = 'xzzf.powers.listQuery';

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
