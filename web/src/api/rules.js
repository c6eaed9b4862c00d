// The rule set (规则集): the statutory values a case is judged by (amounts,
// periods, numbers of officers), each with its legal source and the dates it
// is in force, by level (全国、省、市、县、乡镇) and 执法领域; and the statutory
// working-day calendar (法定工作日历) that periods are counted on.
import { api } from './client.js';

/**
 * query: { jurisdiction_id, sector, date } → { items: [{ key, name, unit,
 * description, rule: Rule | null, inherited }], total }: the version of each
 * rule in force on that day (rule null: none). Without jurisdiction_id the
 * server takes the caller's own jurisdiction.
 */
export const listRules = (query, options) => api.get('/rules', { ...options, query });

/** query: { jurisdiction_id } → { items: [Rule], total }: every version, of that jurisdiction and the levels above. */
export const ruleHistory = (key, query, options) =>
  api.get(`/rules/${encodeURIComponent(key)}/history`, { ...options, query });

/**
 * body: { jurisdiction_id?, sector?, value, unit?, effective_from, norm,
 * article, note?, reason, retroactive? } → 201 Rule. value is an integer in
 * the rule's unit (分 for amounts). 409 rules.version_order when the level
 * already has a version from that date or later; 400 rules.retroactive for
 * an effective_from before today (Asia/Shanghai) without retroactive: true
 * (补录 of a rule already in force); 400 rules.national_general for a value
 * without jurisdiction_id that is not a sector standard (no sector).
 */
export const amendRule = (key, body) => api.post(`/rules/${encodeURIComponent(key)}`, body);

/**
 * query: { from, add, jurisdiction_id } → { from, add, date, data }. data, in
 * every calendar answer: { first_year, last_year, first_day, last_day }, the
 * days the holiday data covers ("2015-01-01" to 24 December of the last year).
 */
export const addWorkingDays = (query, options) => api.get('/calendar/working-days', { ...options, query });

/**
 * query: { from, count, unit: 'days' | 'working_days', excluded, jurisdiction_id }
 * → { from, count, unit, due, paused, data }. excluded: "首日~末日" ranges,
 * comma-separated, the end left out for one still running (then paused, due
 * null). 409 calendar.beyond_data when the count leaves the days the holiday
 * data covers.
 */
export const computeDeadline = (query, options) => api.get('/calendar/deadline', { ...options, query });

/**
 * query: { year, jurisdiction_id } → { year, covered, data, items: [{ date,
 * working, name, local }], total, local_days: [LocalDay] }: the days of that
 * year that differ from the plain week (holidays on weekdays, working days on
 * weekends), with the jurisdiction's own ones; local_days are those of the
 * jurisdiction and the levels above, of all years.
 */
export const listCalendarDays = (query, options) => api.get('/calendar/days', { ...options, query });

/**
 * body: { jurisdiction_id, day, kind: 'holiday' | 'workday', name } → 201
 * LocalDay. 422 rules.local_workday_on_holiday for a workday on a national holiday.
 */
export const addLocalDay = (body) => api.post('/calendar/days', body);

/** DELETE /calendar/days/{id} → 204 */
export const removeLocalDay = (id) => api.delete(`/calendar/days/${encodeURIComponent(id)}`);
