// A state-changing action started by the user (save, confirm, publish …):
// busy while it runs, the ApiError when the server refuses it, a success
// message when it worked. run() resolves with the answer (true for an answer
// without a body, such as 204) or undefined when refused.
import { shallowRef } from 'vue';
import { ElMessage } from 'element-plus';

export function useAction() {
  const busy = shallowRef(false);
  const error = shallowRef(null);

  async function run(fn, { success = '' } = {}) {
    busy.value = true;
    error.value = null;
    try {
      const answer = await fn();
      if (success) ElMessage.success(success);
      return answer === undefined || answer === null ? true : answer;
    } catch (e) {
      error.value = e;
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  return { busy, error, run, clear: () => { error.value = null; } };
}
