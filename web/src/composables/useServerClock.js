// The server's time as a running clock: the time the server last reported,
// moved on by the time elapsed in the browser since.
import { computed, onBeforeUnmount, onMounted, ref } from 'vue';
import { useServerInfo } from '@/stores/serverInfo.js';
import { formatServerTime } from '@/utils/time.js';

export function useServerClock() {
  const info = useServerInfo();
  const now = ref(performance.now());
  let timer = 0;
  onMounted(() => {
    timer = window.setInterval(() => { now.value = performance.now(); }, 1000);
  });
  onBeforeUnmount(() => window.clearInterval(timer));
  return computed(() => (info.info ? formatServerTime(info.info.time, now.value - info.receivedAt) : ''));
}
