// The full-process record (全过程记录): its entries with their inclusion
// proofs, its signed checkpoints, the verification of the whole record, and
// the public checkpoints and key that anyone may fetch without logging in.
import { api } from './client.js';

/**
 * GET /record/status → { tree_size, algorithm, latest_checkpoint, public_key,
 * checkpoint_policy: { every_entries, every_seconds }, verification } where
 * verification = { running, checked, total, started_at, by, last }.
 */
export const getRecordStatus = (options) => api.get('/record/status', options);

/** POST /record/verify → 202 { verification }; 409 record.verify_busy while one runs. */
export const startRecordVerification = () => api.post('/record/verify', {});

/** query: { page, page_size } → { items: [Checkpoint], total }, newest first. */
export const listRecordCheckpoints = (query, options) => api.get('/record/checkpoints', { ...options, query });

/**
 * query: { subject_type, subject_id, actor_id, action, from, to, page, page_size }
 * → { items, total }, newest first.
 */
export const listRecordEntries = (query, options) => api.get('/record/entries', { ...options, query });

/** GET /record/entries/{seq} → { entry: {…, leaf_hash}, proof: { tree_size, root, checkpoint, path } } */
export const getRecordEntry = (seq, options) => api.get(`/record/entries/${encodeURIComponent(seq)}`, options);

// ---- public (no login) ----------------------------------------------------

/** The latest signed checkpoint, or null before the first one (404 record.no_checkpoint). */
export async function getPublicCheckpoint(options) {
  try {
    return await api.get('/public/record/checkpoint', options);
  } catch (e) {
    if (e.status === 404 && e.code === 'record.no_checkpoint') return null;
    throw e;
  }
}

/** query: { page, page_size } → { items: [Checkpoint], total }, newest first. */
export const listPublicCheckpoints = (query, options) => api.get('/public/record/checkpoints', { ...options, query });

/**
 * GET /public/record/key → { algorithm, hex, key_id, file } (file: the text of
 * the public key file), or null when the deployment has no signing key yet
 * (404 record.no_public_key).
 */
export async function getPublicKey(options) {
  try {
    return await api.get('/public/record/key', options);
  } catch (e) {
    if (e.status === 404 && e.code === 'record.no_public_key') return null;
    throw e;
  }
}
