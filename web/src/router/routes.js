// Routes of the two areas. Each area has its own layout; pages are loaded
// on demand. meta.title is the page's part of the document title (the
// deployment name alone when absent); meta.area tells which area a page is in.
//
// Console pages need a session (router/index.js checks it). meta.access says
// who may open a page (see canAccess in stores/session.js); meta.menu puts it
// in the console's menu, shown only to those who may open it.
import PortalLayout from '@/layouts/PortalLayout.vue';
import ConsoleLayout from '@/layouts/ConsoleLayout.vue';
import ConsoleAuthLayout from '@/layouts/ConsoleAuthLayout.vue';
import { canAccess } from '@/stores/session.js';

const NotFoundView = () => import('@/views/NotFoundView.vue');

const ORG = { any: ['org.read'], business: true };
const RULES = { any: ['rule.read'], business: true };
const LIBRARY = { any: ['library.read'], business: true };
const POWERS = { any: ['power.read'], business: true };
const POWERS_EDIT = { any: ['power.edit'], business: true };
const OFFICERS = { any: ['officer.read'], business: true };
const OFFICERS_MANAGE = { any: ['officer.manage'], business: true };
const CERTIFICATES_REVIEW = { any: ['certificate.review'], business: true };

export const routes = [
  {
    path: '/console/login',
    component: ConsoleAuthLayout,
    meta: { area: 'console', guest: true },
    children: [
      { path: '', name: 'console-login', component: () => import('@/views/console/LoginView.vue'), meta: { title: '登录' } },
    ],
  },
  {
    path: '/console/password',
    component: ConsoleAuthLayout,
    meta: { area: 'console', passwordPage: true },
    children: [
      { path: '', name: 'console-password', component: () => import('@/views/console/PasswordView.vue'), meta: { title: '修改密码' } },
    ],
  },
  {
    // The printable card: a console page outside the console's layout, so
    // that only the card is printed.
    path: '/console/certificates/:id(\\d+)/card',
    name: 'console-certificate-card',
    component: () => import('@/views/console/personnel/CertificateCardView.vue'),
    meta: { area: 'console', title: '打印执法证', access: OFFICERS },
  },
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
      {
        path: 'jurisdictions',
        name: 'console-jurisdictions',
        component: () => import('@/views/console/org/JurisdictionsView.vue'),
        meta: { title: '行政区划', access: ORG, menu: { label: '行政区划', group: '组织机构' } },
      },
      {
        path: 'departments',
        name: 'console-departments',
        component: () => import('@/views/console/org/DepartmentsView.vue'),
        meta: { title: '部门', access: ORG, menu: { label: '部门', group: '组织机构' } },
      },
      {
        path: 'departments/:id(\\d+)',
        name: 'console-department',
        component: () => import('@/views/console/org/DepartmentDetailView.vue'),
        meta: { title: '部门详情', access: ORG, menuParent: '/console/departments' },
      },
      {
        path: 'agencies',
        name: 'console-agencies',
        component: () => import('@/views/console/org/AgenciesView.vue'),
        meta: { title: '内设机构', access: ORG, menu: { label: '内设机构', group: '组织机构' } },
      },
      {
        path: 'posts',
        name: 'console-posts',
        component: () => import('@/views/console/org/PostsView.vue'),
        meta: { title: '岗位', access: ORG, menu: { label: '岗位', group: '组织机构' } },
      },
      {
        path: 'subjects',
        name: 'console-subjects',
        component: () => import('@/views/console/org/SubjectsView.vue'),
        meta: { title: '执法主体', access: ORG, menu: { label: '执法主体', group: '组织机构' } },
      },
      {
        path: 'users',
        name: 'console-users',
        component: () => import('@/views/console/accounts/UsersView.vue'),
        meta: { title: '用户', access: { any: ['user.read'] }, menu: { label: '用户', group: '账号与权限' } },
      },
      {
        path: 'roles',
        name: 'console-roles',
        component: () => import('@/views/console/accounts/RolesView.vue'),
        meta: { title: '角色', access: { any: ['user.read', 'role.grant'] }, menu: { label: '角色', group: '账号与权限' } },
      },
      {
        path: 'audit',
        name: 'console-audit',
        component: () => import('@/views/console/audit/AuditView.vue'),
        meta: { title: '审计日志', access: { any: ['audit.read'] }, menu: { label: '审计日志', group: '安全审计' } },
      },
      {
        path: 'record',
        name: 'console-record',
        component: () => import('@/views/console/record/RecordView.vue'),
        meta: { title: '记录浏览', access: { any: ['record.read'] }, menu: { label: '记录浏览', group: '全过程记录' } },
      },
      {
        path: 'record/entries/:seq(\\d+)',
        name: 'console-record-entry',
        component: () => import('@/views/console/record/EntryView.vue'),
        meta: { title: '条目详情', access: { any: ['record.read'] }, menuParent: '/console/record' },
      },
      {
        path: 'record/integrity',
        name: 'console-record-integrity',
        component: () => import('@/views/console/record/IntegrityView.vue'),
        meta: { title: '完整性', access: { any: ['record.verify'] }, menu: { label: '完整性', group: '全过程记录' } },
      },
      {
        path: 'rules',
        name: 'console-rules',
        component: () => import('@/views/console/rules/RulesView.vue'),
        meta: { title: '规则集', access: RULES, menu: { label: '规则集', group: '规则与日历' } },
      },
      {
        path: 'calendar',
        name: 'console-calendar',
        component: () => import('@/views/console/rules/CalendarView.vue'),
        meta: { title: '法定工作日历', access: RULES, menu: { label: '法定工作日历', group: '规则与日历' } },
      },
      {
        path: 'library',
        name: 'console-library',
        component: () => import('@/views/console/library/LibraryView.vue'),
        meta: { title: '法律法规库', access: LIBRARY, menu: { label: '法律法规库', group: '法律法规' } },
      },
      {
        path: 'library/:id(\\d+)',
        name: 'console-norm',
        component: () => import('@/views/console/library/NormView.vue'),
        meta: { title: '法律法规文本', access: LIBRARY, menuParent: '/console/library' },
      },
      {
        path: 'power-items',
        name: 'console-power-items',
        component: () => import('@/views/console/powers/PowerItemsView.vue'),
        meta: { title: '权责事项', access: POWERS, menu: { label: '权责事项', group: '权责清单' } },
      },
      {
        path: 'power-items/new',
        name: 'console-power-item-new',
        component: () => import('@/views/console/powers/PowerItemEditView.vue'),
        meta: { title: '新建事项', access: POWERS_EDIT, menuParent: '/console/power-items' },
      },
      {
        path: 'power-items/import',
        name: 'console-power-import',
        component: () => import('@/views/console/powers/PowerImportView.vue'),
        meta: { title: '导入权责清单', access: POWERS_EDIT, menuParent: '/console/power-items' },
      },
      {
        path: 'power-items/:id(\\d+)',
        name: 'console-power-item',
        component: () => import('@/views/console/powers/PowerItemView.vue'),
        meta: { title: '权责事项详情', access: POWERS, menuParent: '/console/power-items' },
      },
      {
        path: 'power-items/:id(\\d+)/edit',
        name: 'console-power-item-edit',
        component: () => import('@/views/console/powers/PowerItemEditView.vue'),
        meta: { title: '编辑事项', access: POWERS_EDIT, menuParent: '/console/power-items' },
      },
      {
        path: 'power-reviews',
        name: 'console-power-reviews',
        component: () => import('@/views/console/powers/PowerReviewsView.vue'),
        meta: { title: '审核队列', access: { any: ['power.review'] }, menu: { label: '审核队列', group: '权责清单' } },
      },
      {
        path: 'power-items/progress',
        name: 'console-power-progress',
        component: () => import('@/views/console/powers/PowerProgressView.vue'),
        meta: { title: '清单编制进度', access: POWERS, menu: { label: '编制进度', group: '权责清单' } },
      },
      {
        path: 'authorizations',
        name: 'console-authorizations',
        component: () => import('@/views/console/authorizations/AuthorizationsView.vue'),
        meta: { title: '授权与委托', access: POWERS, menu: { label: '授权与委托', group: '权责清单' } },
      },
      {
        path: 'authorizations/:id(\\d+)',
        name: 'console-authorization',
        component: () => import('@/views/console/authorizations/AuthorizationView.vue'),
        meta: { title: '授权详情', access: POWERS, menuParent: '/console/authorizations' },
      },
      {
        path: 'officers',
        name: 'console-officers',
        component: () => import('@/views/console/personnel/OfficersView.vue'),
        meta: { title: '执法人员', access: OFFICERS, menu: { label: '执法人员', group: '执法人员' } },
      },
      {
        path: 'officers/import',
        name: 'console-officer-import',
        component: () => import('@/views/console/personnel/OfficerImportView.vue'),
        meta: { title: '批量导入执法人员', access: OFFICERS_MANAGE, menuParent: '/console/officers' },
      },
      {
        path: 'officers/:id(\\d+)',
        name: 'console-officer',
        component: () => import('@/views/console/personnel/OfficerView.vue'),
        meta: { title: '执法人员详情', access: OFFICERS, menuParent: '/console/officers' },
      },
      {
        path: 'exam-sessions',
        name: 'console-exam-sessions',
        component: () => import('@/views/console/personnel/ExamSessionsView.vue'),
        meta: { title: '执法资格考试', access: OFFICERS, menu: { label: '考试', group: '执法人员' } },
      },
      {
        path: 'certificates',
        name: 'console-certificates',
        component: () => import('@/views/console/personnel/CertificatesView.vue'),
        meta: { title: '执法证件', access: OFFICERS, menu: { label: '执法证件', group: '执法人员' } },
      },
      {
        path: 'certificates/import-numbers',
        name: 'console-certificate-numbers-import',
        component: () => import('@/views/console/personnel/CertificateNumbersImportView.vue'),
        meta: { title: '导入证件编号', access: CERTIFICATES_REVIEW, menuParent: '/console/certificates' },
      },
      {
        path: 'certificates/:id(\\d+)',
        name: 'console-certificate',
        component: () => import('@/views/console/personnel/CertificateView.vue'),
        meta: { title: '执法证件详情', access: OFFICERS, menuParent: '/console/certificates' },
      },
      {
        path: 'certificates/reminders',
        name: 'console-certificate-reminders',
        component: () => import('@/views/console/personnel/CertificateRemindersView.vue'),
        meta: { title: '证件提醒', access: OFFICERS, menu: { label: '证件提醒', group: '执法人员' } },
      },
      {
        path: 'officers/rotation',
        name: 'console-officer-rotation',
        component: () => import('@/views/console/personnel/RotationView.vue'),
        meta: { title: '定期轮岗', access: OFFICERS, menu: { label: '定期轮岗', group: '执法人员' } },
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
      {
        path: 'subjects',
        name: 'portal-subjects',
        component: () => import('@/views/portal/SubjectsView.vue'),
        meta: { title: '执法主体公示' },
      },
      {
        path: 'power-items',
        name: 'portal-power-items',
        component: () => import('@/views/portal/PowerItemsView.vue'),
        meta: { title: '权责清单' },
      },
      {
        path: 'power-items/:id(\\d+)',
        name: 'portal-power-item',
        component: () => import('@/views/portal/PowerItemView.vue'),
        meta: { title: '权责事项' },
      },
      {
        path: 'certificates',
        name: 'portal-certificates',
        component: () => import('@/views/portal/CertificateCheckView.vue'),
        meta: { title: '执法证件查询' },
      },
      {
        // The address the QR code on a card encodes.
        path: 'certificates/:number',
        name: 'portal-certificate',
        component: () => import('@/views/portal/CertificateCheckView.vue'),
        meta: { title: '执法证件查询' },
      },
      {
        path: 'record',
        name: 'portal-record',
        component: () => import('@/views/portal/RecordView.vue'),
        meta: { title: '全过程记录公示' },
      },
      { path: ':pathMatch(.*)*', name: 'portal-not-found', component: NotFoundView, meta: { title: '页面不存在' } },
    ],
  },
];

/**
 * The console's menu for the logged-in user: the child routes of /console
 * that carry meta.menu and that the user may open, in groups:
 * [{ label, path } | { group, items: [{ label, path }] }].
 */
export function consoleMenu() {
  const console = routes.find((r) => r.path === '/console');
  const menu = [];
  for (const r of console.children) {
    if (!r.meta?.menu || !canAccess(r.meta.access)) continue;
    const item = { path: r.path ? `/console/${r.path}` : '/console', label: r.meta.menu.label };
    const groupName = r.meta.menu.group;
    if (!groupName) { menu.push(item); continue; }
    let group = menu.find((m) => m.group === groupName);
    if (!group) { group = { group: groupName, items: [] }; menu.push(group); }
    group.items.push(item);
  }
  return menu;
}
