// Reference lists the organization pages share: the fixed 执法领域 (sectors),
// the jurisdiction tree and the departments the caller can see. Loaded on
// first use; reload() after a change.
import { readonly, shallowReactive } from 'vue';
import { listDepartments, listJurisdictions, listSectors } from '@/api/org.js';
import { onUserChange } from './session.js';

function cached(fetcher) {
  const state = shallowReactive({ items: [], loaded: false, loading: false, error: null });
  let pending = null;
  function load({ force = false } = {}) {
    if (pending) return pending;
    if (state.loaded && !force) return Promise.resolve(state.items);
    state.loading = true;
    state.error = null;
    pending = fetcher()
      .then((answer) => { state.items = answer?.items || []; state.loaded = true; return state.items; })
      .catch((error) => { state.error = error; return state.items; })
      .finally(() => { state.loading = false; pending = null; });
    return pending;
  }
  onUserChange(() => { state.items = []; state.loaded = false; state.error = null; });
  return { state: readonly(state), load };
}

const sectors = cached(() => listSectors());
const jurisdictions = cached(() => listJurisdictions());
// Active departments in the caller's scope, for pickers (not the paged list).
const departments = cached(() => listDepartments({ page: 1, page_size: 200 }));

export function useSectors() {
  sectors.load();
  return sectors.state;
}
export function useJurisdictions() {
  jurisdictions.load();
  return jurisdictions.state;
}
export function useDepartmentOptions() {
  departments.load();
  return departments.state;
}
export const reloadJurisdictions = () => jurisdictions.load({ force: true });
export const reloadDepartmentOptions = () => departments.load({ force: true });

export function sectorName(code) {
  return sectors.state.items.find((s) => s.code === code)?.name || code;
}

/** The flat jurisdiction list as a tree: [{ ...j, children: [...] }]. */
export function jurisdictionTree(items) {
  const byId = new Map(items.map((j) => [j.id, { ...j, children: [] }]));
  const roots = [];
  for (const node of byId.values()) {
    const parent = node.parent_id != null ? byId.get(node.parent_id) : null;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (nodes) => {
    nodes.sort((a, b) => String(a.code).localeCompare(String(b.code)));
    for (const n of nodes) {
      sort(n.children);
      if (!n.children.length) delete n.children;
    }
  };
  sort(roots);
  return roots;
}
