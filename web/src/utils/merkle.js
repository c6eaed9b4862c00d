// Checks of the full-process record's Merkle tree in the browser (and under
// Node for the tests): RFC 9162 (Certificate Transparency v2) hashing, leaf
// hash H(0x00 || entry) and node hash H(0x01 || left || right), and the
// verification of an inclusion proof (RFC 9162 §2.1.3.2).
//
// Only SHA-256 is supported: browsers have no SM3. SHA-256 comes from
// WebCrypto when the page has it (crypto.subtle exists only in a secure
// context: https, or http on localhost); on a plain-http intranet address a
// small implementation in this file takes over, so the check works there too.
//
// Hashes are lowercase hex strings at the edges of this module and
// Uint8Arrays inside. Sizes and indexes are handled as BigInt so that trees
// larger than 2^32 entries are checked with the right bit operations.

export const SUPPORTED_ALGORITHMS = Object.freeze(['sha256']);

/** Whether this module can check proofs of a tree hashed with `algorithm`. */
export function canVerify(algorithm) {
  return SUPPORTED_ALGORITHMS.includes(String(algorithm || '').toLowerCase());
}

// ---- hex ------------------------------------------------------------------

export function hexToBytes(hex) {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new TypeError(`not a hex string: ${JSON.stringify(hex)}`);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i += 1) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function bytesToHex(bytes) {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

function isHash(hex) {
  return typeof hex === 'string' && /^[0-9a-fA-F]{64}$/.test(hex);
}

// ---- SHA-256 ----------------------------------------------------------------

function subtle() {
  return globalThis.crypto?.subtle || null;
}

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** SHA-256 in plain JavaScript (FIPS 180-4), for pages without WebCrypto. */
export function sha256Fallback(data) {
  const bitLength = data.length * 8;
  const padded = new Uint8Array(Math.ceil((data.length + 9) / 64) * 64);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 2 ** 32));
  view.setUint32(padded.length - 4, bitLength >>> 0);

  const h = new Uint32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]);
  const w = new Uint32Array(64);
  const rotr = (x, n) => (x >>> n) | (x << (32 - n));
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i += 1) w[i] = view.getUint32(off + 4 * i);
    for (let i = 16; i < 64; i += 1) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 64; i += 1) {
      const s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + s1 + ch + K[i] + w[i]) >>> 0;
      const s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (s0 + maj) >>> 0;
      hh = g; g = f; f = e; e = (d + t1) >>> 0;
      d = c; c = b; b = a; a = (t1 + t2) >>> 0;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  }
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  for (let i = 0; i < 8; i += 1) outView.setUint32(4 * i, h[i]);
  return out;
}

/** SHA-256 of `data` (Uint8Array) → Uint8Array(32). */
export async function sha256(data) {
  const s = subtle();
  if (s) return new Uint8Array(await s.digest('SHA-256', data));
  return sha256Fallback(data);
}

/** Which SHA-256 this page uses, for the page to say so. */
export function sha256Source() {
  return subtle() ? 'webcrypto' : 'javascript';
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = new Uint8Array([0x01]);

/** RFC 9162 leaf hash H(0x00 || entry); entry is a Uint8Array. */
export async function leafHash(entry) {
  return sha256(concat(LEAF_PREFIX, entry));
}

/** RFC 9162 interior node hash H(0x01 || left || right). */
export async function nodeHash(left, right) {
  return sha256(concat(NODE_PREFIX, left, right));
}

/**
 * MTH(D[n]) of RFC 9162 §2.1.1 over leaf inputs (Uint8Arrays), as hex. For
 * tests and small trees: it hashes every leaf.
 */
export async function merkleTreeHash(entries) {
  async function mth(items) {
    if (items.length === 0) return sha256(new Uint8Array(0));
    if (items.length === 1) return leafHash(items[0]);
    let k = 1;
    while (k * 2 < items.length) k *= 2;
    return nodeHash(await mth(items.slice(0, k)), await mth(items.slice(k)));
  }
  return bytesToHex(await mth(entries));
}

/**
 * The root that an inclusion proof leads to (RFC 9162 §2.1.3.2 steps 1–4),
 * as hex; throws a TypeError (with a Chinese message) when the proof cannot
 * lead anywhere: index out of range, a path too long or too short, or a
 * value that is not a hash.
 *
 * @param {object} p
 * @param {string} p.leafHash  hex, the hash of the leaf (not the entry)
 * @param {number|string|bigint} p.index  the leaf's 0-based index (the entry's 序号)
 * @param {number|string|bigint} p.size   the size of the tree the proof is for
 * @param {string[]} p.path    hex hashes, from the leaf's sibling upwards
 */
export async function rootFromInclusionProof({ leafHash: leaf, index, size, path }) {
  const fail = (message) => { throw new TypeError(message); };
  if (!isHash(leaf)) fail('叶子哈希格式无效');
  if (!Array.isArray(path) || !path.every(isHash)) fail('证明路径中有格式无效的哈希值');
  let fn;
  let sn;
  try {
    fn = BigInt(index);
    sn = BigInt(size) - 1n;
  } catch {
    fail('条目序号或树大小无效');
  }
  if (fn < 0n || fn > sn) fail(`条目序号 ${index} 不在大小为 ${size} 的树中`);
  let r = hexToBytes(leaf);
  for (const hex of path) {
    if (sn === 0n) fail('证明路径比树的高度更长');
    const p = hexToBytes(hex);
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) fail('证明路径比树的高度更短');
  return bytesToHex(r);
}

/**
 * Verifies an inclusion proof against an expected root (RFC 9162 §2.1.3.2).
 * Resolves to { ok, computedRoot, reason }: computedRoot is the root the path
 * leads to ('' when it leads nowhere), reason a Chinese sentence when ok is
 * false.
 */
export async function verifyInclusion({ leafHash: leaf, index, size, path, root }) {
  if (!isHash(root)) return { ok: false, computedRoot: '', reason: '根哈希格式无效' };
  let computedRoot;
  try {
    computedRoot = await rootFromInclusionProof({ leafHash: leaf, index, size, path });
  } catch (e) {
    if (e instanceof TypeError) return { ok: false, computedRoot: '', reason: e.message };
    throw e;
  }
  const ok = computedRoot === root.toLowerCase();
  return { ok, computedRoot, reason: ok ? '' : '由叶子哈希和证明路径算出的根哈希与树根不一致' };
}

/**
 * A string by the record's canonical rules (src/record/entry.hpp): UTF-8 as
 * is; only '"', '\\' and U+0000–U+001F escaped.
 */
function canonicalString(text) {
  const short = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
  let out = '"';
  for (const ch of text) {
    const c = ch.codePointAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (short[c]) out += short[c];
    else if (c < 0x20) out += `\\u00${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

const canonicalInt = (v) => (v === null || v === undefined ? 'null' : String(v));

/**
 * The canonical bytes of a record entry (src/record/entry.hpp), from the
 * entry as /record/entries/{seq} returns it, with the stored payload text
 * (payload_text) taken verbatim, as the server hashed it.
 */
export function canonicalEntryBytes(entry) {
  const text = `{"action":${canonicalString(entry.action)},`
    + `"actor_user_id":${canonicalInt(entry.actor_user_id)},`
    + `"at_us":${canonicalInt(entry.at_us)},`
    + `"department_id":${canonicalInt(entry.department_id)},`
    + `"jurisdiction_id":${canonicalInt(entry.jurisdiction_id)},`
    + `"payload":${entry.payload_text},`
    + `"seq":${canonicalInt(entry.seq)},`
    + `"subject_id":${canonicalInt(entry.subject_id)},`
    + `"subject_type":${canonicalString(entry.subject_type)}}`;
  return new TextEncoder().encode(text);
}

/** The leaf hash of an entry recomputed from its fields, lower-case hex. */
export async function entryLeafHash(entry) {
  return bytesToHex(await leafHash(canonicalEntryBytes(entry)));
}
