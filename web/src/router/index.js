import { createRouter, createWebHistory } from 'vue-router';
import { routes } from './routes.js';
import { forbiddenPage, navigationError } from './state.js';
import { canAccess, loadSession, onSessionLost, useSession } from '@/stores/session.js';

export const router = createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior(to, from, saved) {
    return saved || { top: 0 };
  },
});

// A page whose code could not be loaded (network down, or a new deployment
// replaced the files): App.vue shows this error instead of a blank page.
// A console page the user may not open: the layout shows a refusal instead.
export { forbiddenPage, navigationError };

const session = useSession();

/** Where a redirect query may send the user: console paths only. */
export function safeRedirect(value) {
  return typeof value === 'string' && value.startsWith('/console') && !value.startsWith('/console/login')
    ? value : '/console';
}

// The console needs a session: without one the login page (with the way
// back), with a pending password change the password page, nothing else.
router.beforeEach(async (to) => {
  forbiddenPage.value = false;
  if (to.matched[0]?.meta?.area !== 'console') return true;
  await loadSession();
  if (session.error) return true; // the layouts show the error with 重试
  const loggedIn = !!session.user;
  if (to.matched[0].meta.guest) {
    if (!loggedIn) return true;
    return session.mustChangePassword ? { name: 'console-password' } : safeRedirect(to.query.redirect);
  }
  if (!loggedIn) {
    return { name: 'console-login', query: to.fullPath === '/console' ? {} : { redirect: to.fullPath } };
  }
  if (session.mustChangePassword && to.name !== 'console-password') return { name: 'console-password' };
  const access = to.matched[to.matched.length - 1]?.meta?.access;
  if (access && !canAccess(access)) forbiddenPage.value = true;
  return true;
});

// A request found the session ended (timeout, logged out elsewhere) or a
// password change pending: go to the page that deals with it.
onSessionLost((error) => {
  const current = router.currentRoute.value;
  if (current.matched[0]?.meta?.area !== 'console') return;
  if (error.code === 'auth.unauthenticated' && !current.matched[0].meta.guest) {
    router.replace({ name: 'console-login', query: { redirect: current.fullPath } });
  } else if (error.code === 'auth.password_change_required' && current.name !== 'console-password') {
    router.replace({ name: 'console-password' });
  }
});

router.onError((error, to) => {
  navigationError.value = { error, to: to?.fullPath || window.location.pathname };
});
router.afterEach((to, from, failure) => {
  if (!failure) navigationError.value = null;
});
