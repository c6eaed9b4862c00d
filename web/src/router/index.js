import { createRouter, createWebHistory } from 'vue-router';
import { shallowRef } from 'vue';
import { routes } from './routes.js';

export const router = createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior(to, from, saved) {
    return saved || { top: 0 };
  },
});

// A page whose code could not be loaded (network down, or a new deployment
// replaced the files): App.vue shows this error instead of a blank page.
export const navigationError = shallowRef(null);

router.onError((error, to) => {
  navigationError.value = { error, to: to?.fullPath || window.location.pathname };
});
router.afterEach((to, from, failure) => {
  if (!failure) navigationError.value = null;
});
