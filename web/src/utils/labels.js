// Chinese names for the codes the API returns. The server is the authority
// (GET /roles and GET /sectors give names too); these are what the pages show
// before those lists arrive, and for codes that have no list endpoint.

export const ROLE_NAMES = Object.freeze({
  officer: '执法人员',
  dept_leader: '部门负责人',
  dept_admin: '部门管理员',
  legal_reviewer: '法制审核人员',
  legal_office: '司法局执法监督人员',
  monitor: '监察审计人员',
  social_supervisor: '社会监督员',
  sysadmin: '系统管理员',
  secadmin: '安全保密管理员',
  auditor: '安全审计员',
});

export const PERMISSION_NAMES = Object.freeze({
  'org.read': '查看组织机构',
  'org.manage': '管理行政区划和部门（机构改革）',
  'agency.manage': '管理内设机构和岗位',
  'subject.propose': '申报执法主体',
  'subject.confirm': '确认、公告、撤销执法主体',
  'user.read': '查看账号',
  'user.manage': '管理账号（创建、编辑、停用、解锁、重置密码）',
  'role.grant': '授予和收回角色',
  'audit.read': '查看安全审计日志',
  'record.read': '查阅全过程记录',
  'record.verify': '校验全过程记录完整性',
  'rule.read': '查看规则集与法定工作日历',
  'rule.manage': '修订规则、设定本地节假日',
  'library.read': '查阅法律法规库',
  'library.manage': '导入、修改、废止法律法规文本',
  'power.read': '查看权责清单',
  'power.edit': '编制本部门权责清单、提交审核',
  'power.review': '审核、退回、公布权责清单',
  'officer.read': '查看执法人员及其证件（个人信息脱敏）',
  'officer.manage': '录入本部门执法人员、岗位和培训，申领执法证件',
  'officer.reveal': '查看执法人员完整的身份证号码和电话（留痕）',
  'certificate.review': '组织考试、审核执法证件、暂扣收回等证件管理',
});

export const JURISDICTION_LEVELS = Object.freeze({
  province: '省',
  city: '市',
  county: '县（市、区）',
  township: '乡镇（街道）',
});

export const DEPARTMENT_STATUS = Object.freeze({
  active: { label: '正常', type: 'success' },
  merged: { label: '已合并', type: 'info' },
  abolished: { label: '已撤销', type: 'info' },
});

export const SUBJECT_KINDS = Object.freeze({
  statutory: '法定行政机关',
  authorized: '法律法规授权组织',
  entrusted: '受委托组织',
});

export const SUBJECT_STATUS = Object.freeze({
  proposed: { label: '待确认', type: 'warning' },
  confirmed: { label: '已确认', type: 'success' },
  revoked: { label: '已撤销', type: 'info' },
});

/**
 * Authorization.kind → its name and the provision of the 行政处罚法 it rests
 * on, with what that provision asks of the one who receives the power.
 */
export const AUTHORIZATION_KINDS = Object.freeze({
  delegate: {
    label: '下放',
    basis: '《中华人民共和国行政处罚法》第二十四条',
    hint: '省、自治区、直辖市可以决定将县级人民政府部门的行政处罚权交由能够有效承接的乡镇人民政府、街道办事处行使，决定应当公布。受让方须为乡镇（街道）。',
  },
  concentrate: {
    label: '相对集中行政处罚权',
    basis: '《中华人民共和国行政处罚法》第十八条第二款',
    hint: '国务院或者省、自治区、直辖市人民政府可以决定一个行政机关行使有关行政机关的行政处罚权。',
  },
  entrust: {
    label: '委托',
    basis: '《中华人民共和国行政处罚法》第二十条',
    hint: '行政机关可以在其法定权限内书面委托符合第二十一条规定条件的组织实施行政处罚；委托书应当载明委托的具体事项、权限、期限，并向社会公布。',
  },
});

export const USER_STATUS = Object.freeze({
  active: { label: '正常', type: 'success' },
  disabled: { label: '已停用', type: 'info' },
});

export const ORG_CHANGES = Object.freeze({
  create: '设立',
  rename: '更名',
  update: '变更',
  sectors: '调整执法领域',
  merge: '并入其他部门',
  absorb: '接收并入部门',
  move: '转移',
  abolish: '撤销',
  propose: '申报',
  confirm: '确认',
  revoke: '撤销',
  publish: '公告',
});

// Event names of the audit trail as the server writes them.
export const AUDIT_EVENTS = Object.freeze({
  'auth.login': '登录',
  'auth.login_failed': '登录失败',
  'auth.locked': '登录锁定',
  'auth.logout': '退出登录',
  'auth.password_changed': '修改密码',
  'access.denied': '拒绝访问',
  'http.refused': '请求被拒绝',
  'user.created': '创建账号',
  'user.updated': '修改账号',
  'user.disabled': '停用账号',
  'user.unlocked': '解锁账号',
  'password.reset': '重置密码',
  'role.granted': '授予角色',
  'role.revoked': '收回角色',
  'token.created': '签发令牌',
  'token.revoked': '吊销令牌',
  'jurisdiction.created': '新增行政区划',
  'department.created': '设立部门',
  'department.renamed': '部门更名',
  'department.updated': '部门变更',
  'department.merged': '部门合并',
  'department.absorbed': '接收并入部门',
  'agency.created': '新增内设机构',
  'agency.renamed': '内设机构更名',
  'agency.updated': '修改内设机构',
  'agency.moved': '内设机构转移',
  'agency.abolished': '撤销内设机构',
  'post.created': '新增岗位',
  'subject.proposed': '申报执法主体',
  'subject.confirmed': '确认执法主体',
  'subject.published': '公告执法主体',
  'subject.revoked': '撤销执法主体',
});

export function roleLabel(code, roles = []) {
  return roles.find((r) => r.code === code)?.name || ROLE_NAMES[code] || code;
}

export function auditEventLabel(code) {
  return AUDIT_EVENTS[code] || code;
}

/** Today in Asia/Shanghai as YYYY-MM-DD (the server's dates are in that zone). */
export function todayInShanghai() {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
  }).formatToParts(new Date());
  const get = (t) => parts.find((p) => p.type === t)?.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** "2026-03-01" → "2026年03月01日"; other text unchanged. */
export function formatDate(text) {
  const m = typeof text === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null;
  return m ? `${m[1]}年${m[2]}月${m[3]}日` : (text || '');
}
