// Routes of the two areas. Each area has its own layout; pages are loaded
// on demand. meta.title is the page's part of the document title (the
// deployment name alone when absent); meta.area tells which area a page is in.
import PortalLayout from '@/layouts/PortalLayout.vue';
import ConsoleLayout from '@/layouts/ConsoleLayout.vue';

const NotFoundView = () => import('@/views/NotFoundView.vue');

export const routes = [
  {
    path: '/console',
    component: ConsoleLayout,
    meta: { area: 'console' },
    children: [
      {
        path: '',
        name: 'console-home',
        component: () => import('@/views/console/EntryView.vue'),
        meta: { title: '管理端', menu: { label: '首页' } },
      },
      { path: ':pathMatch(.*)*', name: 'console-not-found', component: NotFoundView, meta: { title: '页面不存在' } },
    ],
  },
  {
    path: '/',
    component: PortalLayout,
    meta: { area: 'portal' },
    children: [
      { path: '', name: 'portal-home', component: () => import('@/views/portal/HomeView.vue') },
      { path: ':pathMatch(.*)*', name: 'portal-not-found', component: NotFoundView, meta: { title: '页面不存在' } },
    ],
  },
];

/** The console's menu: the child routes of /console that carry meta.menu. */
export function consoleMenu() {
  const console = routes.find((r) => r.path === '/console');
  return console.children
    .filter((r) => r.meta?.menu)
    .map((r) => ({ path: r.path ? `/console/${r.path}` : '/console', label: r.meta.menu.label }));
}
