// Loading state for one API call in a page: data, error (an ApiError),
// loading, and run() to load or retry. A newer run() supersedes an older one.
import { onBeforeUnmount, shallowRef } from 'vue';

export function useRequest(fetcher, { immediate = true } = {}) {
  const data = shallowRef(null);
  const error = shallowRef(null);
  const loading = shallowRef(false);
  let controller = null;

  async function run(...args) {
    controller?.abort();
    const own = new AbortController();
    controller = own;
    loading.value = true;
    error.value = null;
    try {
      data.value = await fetcher(...args, { signal: own.signal });
    } catch (e) {
      if (!own.signal.aborted) error.value = e;
    } finally {
      if (controller === own) loading.value = false;
    }
    return data.value;
  }

  onBeforeUnmount(() => controller?.abort());
  if (immediate) run();
  return { data, error, loading, run };
}
