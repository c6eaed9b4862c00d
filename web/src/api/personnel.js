// Enforcement qualification (执法资格): officers (执法人员) with their posts,
// trainings and exam results, exam sessions, and the certificates
// (行政执法证, 行政执法监督证) from the department's application through the
// legal office's review to suspension, withdrawal or expiry; the public
// check of a certificate by its number (亮证执法).
import { API_BASE, api, upload } from './client.js';

const seg = (v) => encodeURIComponent(v);

/**
 * query: { department_id, q (part of the name), employment, page, page_size }
 * → { items: [Officer], total }, in the caller's scope. Officer: { id,
 * department_id, department_name, full_name, id_number and phone (masked),
 * employment (established, service, contract, dispatched, temporary),
 * employment_name, legal_qualification, user_id, status (active, left),
 * post: { post_id, post_name, enforcement, started_on, ended_on } | null,
 * has_photo, created_at, updated_at }.
 */
export const listOfficers = (query, options) => api.get('/officers', { ...options, query });

/** → Officer with posts: [PostSpell] (the post history, newest last). */
export const getOfficer = (id, options) => api.get(`/officers/${seg(id)}`, options);

/**
 * body: { department_id, full_name, id_number, phone?, employment,
 * legal_qualification?, post_id?, post_started_on? } → 201 Officer. 400
 * personnel.invalid (the field and why), 409 for an ID number entered before.
 */
export const createOfficer = (body) => api.post('/officers', body);

/**
 * The officers' import template (.xlsx: the headers and one made-up example
 * row, which an import refuses); a plain link downloads it with the
 * session's cookie.
 */
export const OFFICER_TEMPLATE_URL = `${API_BASE}/officers/import-template`;

/**
 * officer.manage; enters officers of the department from a filled-in
 * template, the .xlsx file as the raw body: all rows or none → { imported,
 * report: [] }. A refused file rejects with an ApiError (400
 * personnel.import_invalid) whose body.report lists [{ row, column, message
 * }]. onProgress(0…1) while the file is sent.
 */
export const importOfficers = (departmentId, file, { onProgress, signal } = {}) =>
  upload('/officers/import', file, { query: { department_id: departmentId }, onProgress, signal });

/** officer.reveal → { id_number, phone } in full; the view goes to the audit trail. */
export const revealOfficer = (id) => api.post(`/officers/${seg(id)}/reveal`, {});

/** body: { post_id, started_on } → Officer: the current post ends the day the new one starts. */
export const assignPost = (id, body) => api.post(`/officers/${seg(id)}/posts`, body);

/** → { items: [{ id, officer_id, course, kind (public_law, special_law, other), hours, completed_on }], total } */
export const listTrainings = (id, options) => api.get(`/officers/${seg(id)}/trainings`, options);
/** body: { course, kind, hours, completed_on } → 201 Training. */
export const addTraining = (id, body) => api.post(`/officers/${seg(id)}/trainings`, body);

/** → { items: [{ session_id, officer_id, officer_name, score | null, exempted, passed }], total } */
export const listExamResults = (id, options) => api.get(`/officers/${seg(id)}/exams`, options);

/** The officer's photo (a plain <img> sends the session's cookie); `version` only defeats the cache. */
export const officerPhotoUrl = (id, version = '') =>
  `${API_BASE}/officers/${seg(id)}/photo${version ? `?v=${seg(version)}` : ''}`;

/**
 * Replaces the officer's photo: the JPEG or PNG file as the raw body of a
 * PUT → Officer. onProgress(0…1) while the file is sent.
 */
export const uploadOfficerPhoto = (id, file, { onProgress, signal } = {}) =>
  upload(`/officers/${seg(id)}/photo`, file, { method: 'PUT', onProgress, signal });

/** → { items: [{ id, jurisdiction_id, title, held_on, pass_line, pass_line_basis }], total } */
export const listExamSessions = (options) => api.get('/exam-sessions', options);
/** certificate.review; body: { jurisdiction_id, title, held_on } → 201 ExamSession (pass line from the rule set). */
export const createExamSession = (body) => api.post('/exam-sessions', body);
/** → { items: [ExamResult], total }: every result of the session. */
export const listSessionResults = (sessionId, options) => api.get(`/exam-sessions/${seg(sessionId)}/results`, options);
/** certificate.review; body: { officer_id, score } or { officer_id, exempted: true } → ExamResult. */
export const recordExamResult = (sessionId, body) => api.post(`/exam-sessions/${seg(sessionId)}/results`, body);

/**
 * query: { officer_id, status, page, page_size } → { items: [Certificate],
 * total }. Certificate: { id, officer_id, officer_name, department_id,
 * department_name, kind (enforcement, supervision), kind_name, number |
 * null, sectors, sector_names, jurisdiction_ids, jurisdiction_names, status
 * (applied, rejected, valid, suspended, withdrawn, revoked, expired),
 * status_name, issued_on, expires_on, reviewed_on }.
 */
export const listCertificates = (query, options) => api.get('/certificates', { ...options, query });

/**
 * → Certificate with events: [{ action, from_status, to_status, reason,
 * actor_user_id, actor_name ("" when unknown), at }].
 */
export const getCertificate = (id, options) => api.get(`/certificates/${seg(id)}`, options);

/** → { items: [Certificate], total }: the officer's certificates and applications, newest first. */
export const listOfficerCertificates = (id, options) => api.get(`/officers/${seg(id)}/certificates`, options);

/**
 * officer.manage; body: { officer_id, kind, sectors, jurisdiction_ids } →
 * 201 Certificate (applied). 422 with its basis when the law refuses: not
 * 在编 (条例第二十条), no training or no exam pass (第二十一条第一款).
 */
export const applyCertificate = (body) => api.post('/certificate-applications', body);

/**
 * certificate.review; body: { approve: true, number, issued_on, expires_on }
 * or { approve: false, reason } → Certificate.
 */
export const reviewCertificate = (id, body) => api.post(`/certificate-applications/${seg(id)}/review`, body);

// The console's names of the actions → the server's path and body (API.md:
// actions go by the certificate's number; 年审 is one path with `passed`).
const ACTION_PATHS = {
  suspend: ['suspend'],
  lift: ['reinstate'],
  withdraw: ['withdraw'],
  revoke: ['revoke'],
  expire: ['expire'],
  annual_pass: ['annual-review', { passed: true }],
  annual_fail: ['annual-review', { passed: false }],
};

/**
 * certificate.review, on an issued certificate by its number; action:
 * suspend, lift, withdraw, revoke, annual_pass, annual_fail, expire; body:
 * { reason } (all but annual_pass need one) → Certificate.
 */
export function actOnCertificate(number, action, body = {}) {
  const [path, extra] = ACTION_PATHS[action] ?? [action];
  return api.post(`/certificates/${seg(number)}/${path}`, { ...extra, ...body });
}

/**
 * certificate.review; 换证 of a valid or expired certificate: body: {
 * issued_on, expires_on, reason? } → Certificate, same number, valid.
 */
export const renewCertificate = (number, body) => api.post(`/certificates/${seg(number)}/renew`, body);

/**
 * The template for the numbers the province issued (.xlsx: the headers and
 * one made-up example row, which an import refuses).
 */
export const CERTIFICATE_NUMBERS_TEMPLATE_URL = `${API_BASE}/certificates/import-numbers-template`;

/**
 * certificate.review; issues pending applications with the numbers the
 * province issued, from a filled-in template: each row finds the officer by
 * ID number (the name must match) and the pending application of that kind.
 * All rows or none, answered as importOfficers() is.
 */
export const importCertificateNumbers = (file, { onProgress, signal } = {}) =>
  upload('/certificates/import-numbers', file, { onProgress, signal });

/** → { items: [Certificate & { reason (expiry, annual_review), reason_name, due_on, level (yellow, red) }], total } */
export const listCertificateReminders = (options) => api.get('/certificates/reminders', options);

/** → { items: [Officer & { years_in_post }], total }: officers due for 定期轮岗. */
export const listRotationDue = (options) => api.get('/officers/rotation-due', options);

// ---- public (no login) ------------------------------------------------------

/**
 * → { number, kind, kind_name, full_name, department_name, sectors (names),
 * jurisdictions (names), status, status_name, issued_on, expires_on,
 * has_photo }. 404 when no certificate has that number.
 */
export const getPublicCertificate = (number, options) => api.get(`/public/certificates/${seg(number)}`, options);

export const publicCertificatePhotoUrl = (number) => `${API_BASE}/public/certificates/${seg(number)}/photo`;

/** The QR code (SVG) of the certificate's public check page. */
export const certificateQrUrl = (number) => `${API_BASE}/public/certificates/${seg(number)}/qr.svg`;
