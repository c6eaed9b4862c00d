// The fixed roles (GET /roles), loaded once per login and shared: their
// Chinese names, whether they are 三员 and whether they need a department.
import { readonly, shallowReactive } from 'vue';
import { listRoles } from '@/api/accounts.js';

const state = shallowReactive({ items: [], loading: false, error: null, loaded: false });
let pending = null;

export function loadRoles({ force = false } = {}) {
  if (pending) return pending;
  if (state.loaded && !force) return Promise.resolve(state.items);
  state.loading = true;
  state.error = null;
  pending = listRoles()
    .then((answer) => {
      state.items = answer?.items || [];
      state.loaded = true;
      return state.items;
    })
    .catch((error) => { state.error = error; return []; })
    .finally(() => { state.loading = false; pending = null; });
  return pending;
}

export function useRoles() {
  return readonly(state);
}

export function roleName(code) {
  return state.items.find((r) => r.code === code)?.name || code;
}
