// The deployment's public information (name, version, server time), loaded
// once and shared by the layouts (header, footer, document title) and pages.
import { readonly, shallowReactive } from 'vue';
import { getPublicInfo } from '@/api/public.js';

const state = shallowReactive({
  info: null, // { name, version, time }
  receivedAt: 0, // performance.now() when info arrived, to let the clock run on
  loading: false,
  error: null, // ApiError of the last attempt, null when it succeeded
});

let pending = null;

/** Loads the information; `force` fetches again even if it is already there. */
export function loadServerInfo({ force = false } = {}) {
  if (pending) return pending;
  if (state.info && !force) return Promise.resolve(state.info);
  state.loading = true;
  state.error = null;
  pending = getPublicInfo()
    .then((info) => {
      state.info = info;
      state.receivedAt = performance.now();
      return info;
    })
    .catch((error) => {
      state.error = error;
      return null;
    })
    .finally(() => {
      state.loading = false;
      pending = null;
    });
  return pending;
}

export function useServerInfo() {
  return readonly(state);
}

/** The name shown before (or without) the server's answer. */
export const FALLBACK_NAME = '行政执法责任制信息系统';
