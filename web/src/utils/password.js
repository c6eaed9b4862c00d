// The password policy as the console explains it while the user types. The
// server decides (PUT /session/password answers auth.password_policy with
// what is missing); this only gives early feedback with the same rules.
export const PASSWORD_MIN_LENGTH = 12;

export const POLICY_TEXT = `至少 ${PASSWORD_MIN_LENGTH} 位，至少包含大写字母、小写字母、数字、符号中的三类，且不能与用户名或当前密码相同。`;

export function passwordClasses(pw) {
  return {
    lower: /[a-z]/.test(pw),
    upper: /[A-Z]/.test(pw),
    digit: /[0-9]/.test(pw),
    other: /[^A-Za-z0-9]/.test(pw),
  };
}

/** The problems of a new password, in Chinese; empty when it looks acceptable. */
export function passwordProblems(pw, { username = '', current = '' } = {}) {
  const problems = [];
  if ([...pw].length < PASSWORD_MIN_LENGTH) problems.push(`长度不足 ${PASSWORD_MIN_LENGTH} 位`);
  const c = passwordClasses(pw);
  const count = [c.lower, c.upper, c.digit, c.other].filter(Boolean).length;
  if (count < 3) problems.push('大写字母、小写字母、数字、符号中至少包含三类');
  if (username && pw === username) problems.push('不能与用户名相同');
  if (current && pw === current) problems.push('不能与当前密码相同');
  return problems;
}
