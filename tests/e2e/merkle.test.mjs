// web/src/utils/merkle.js under Node (no server, no browser): RFC 9162
// hashing and inclusion-proof verification against Certificate
// Transparency's 8-leaf test tree, proofs made by an independent reference
// (the PATH function of RFC 9162 §2.1.3.1, written out below) for every
// leaf of every tree size up to 8, tampered proofs, and the page's own
// SHA-256 (used where WebCrypto is missing) against WebCrypto.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  bytesToHex, canVerify, hexToBytes, leafHash, merkleTreeHash, rootFromInclusionProof, sha256,
  sha256Fallback, verifyInclusion,
} from '../../web/src/utils/merkle.js';

// CT's test tree (certificate-transparency-go merkle test data, RFC 6962 vectors).
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f']
  .map(hexToBytes);
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const PATH_0_OF_8 = [
  '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
  '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
  '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
];
const PATH_5_OF_8 = [
  'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
];

const leafHex = async (i) => bytesToHex(await leafHash(LEAVES[i]));

// RFC 9162 §2.1.3.1 PATH(m, D[n]), recursively, as the reference.
async function referencePath(m, items) {
  const n = items.length;
  if (n <= 1) return [];
  let k = 1;
  while (k * 2 < n) k *= 2;
  if (m < k) return [...await referencePath(m, items.slice(0, k)), await merkleTreeHash(items.slice(k))];
  return [...await referencePath(m - k, items.slice(k)), await merkleTreeHash(items.slice(0, k))];
}

describe('merkle.js', () => {
  test('the tree hash of every prefix of the CT test tree', async () => {
    for (let n = 1; n <= 8; n += 1) assert.equal(await merkleTreeHash(LEAVES.slice(0, n)), ROOTS[n - 1], `size ${n}`);
    assert.equal(await merkleTreeHash([]), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  test('the published inclusion proofs of leaves 0 and 5 in size 8', async () => {
    assert.deepEqual(await referencePath(0, LEAVES), PATH_0_OF_8, 'the reference agrees with CT');
    assert.deepEqual(await referencePath(5, LEAVES), PATH_5_OF_8, 'the reference agrees with CT');
    const zero = await verifyInclusion({ leafHash: await leafHex(0), index: 0, size: 8, path: PATH_0_OF_8, root: ROOTS[7] });
    assert.deepEqual(zero, { ok: true, computedRoot: ROOTS[7], reason: '' });
    const five = await verifyInclusion({ leafHash: await leafHex(5), index: 5, size: 8, path: PATH_5_OF_8, root: ROOTS[7].toUpperCase() });
    assert.equal(five.ok, true, 'an upper-case root is the same root');
  });

  test('every leaf of every tree size up to 8', async () => {
    for (let n = 1; n <= 8; n += 1) {
      for (let i = 0; i < n; i += 1) {
        const path = await referencePath(i, LEAVES.slice(0, n));
        const r = await verifyInclusion({ leafHash: await leafHex(i), index: i, size: n, path, root: ROOTS[n - 1] });
        assert.equal(r.ok, true, `leaf ${i} in size ${n}: ${r.reason}`);
        // Index and size may come as strings or BigInts (JSON numbers are fine too).
        assert.equal(await rootFromInclusionProof({ leafHash: await leafHex(i), index: String(i), size: BigInt(n), path }), ROOTS[n - 1]);
      }
    }
  });

  test('tampered proofs fail', async () => {
    const good = { leafHash: await leafHex(5), index: 5, size: 8, path: PATH_5_OF_8, root: ROOTS[7] };
    const flip = (hex) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);
    const cases = {
      'another leaf': { leafHash: await leafHex(4) },
      'another index': { index: 4 },
      'another size': { size: 6 },
      'a changed path hash': { path: [PATH_5_OF_8[0], flip(PATH_5_OF_8[1]), PATH_5_OF_8[2]] },
      'a path too short': { path: PATH_5_OF_8.slice(0, 2) },
      'a path too long': { path: [...PATH_5_OF_8, ROOTS[0]] },
      'another root': { root: ROOTS[6] },
      'an index beyond the tree': { index: 8 },
      'a negative index': { index: -1 },
      'a path hash that is not hex': { path: ['zz', ...PATH_5_OF_8.slice(1)] },
      'a leaf hash of the wrong length': { leafHash: 'abcd' },
      'a root that is not a hash': { root: 'not a hash' },
    };
    for (const [name, change] of Object.entries(cases)) {
      const r = await verifyInclusion({ ...good, ...change });
      assert.equal(r.ok, false, `${name} fails`);
      assert.ok(r.reason, `${name} says why`);
    }
  });

  test('the page\'s own SHA-256 equals WebCrypto\'s', async () => {
    assert.ok(globalThis.crypto?.subtle, 'Node has WebCrypto');
    for (const length of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 200, 1000, 4097]) {
      const data = new Uint8Array(length).map((_, i) => (i * 31 + length) & 0xff);
      assert.equal(bytesToHex(sha256Fallback(data)), bytesToHex(await sha256(data)), `length ${length}`);
    }
    assert.equal(bytesToHex(sha256Fallback(new TextEncoder().encode('abc'))),
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  test('only SHA-256 trees are checked in the browser', () => {
    assert.equal(canVerify('sha256'), true);
    assert.equal(canVerify('SHA256'), true);
    assert.equal(canVerify('sm3'), false);
    assert.equal(canVerify(''), false);
  });
});

test('canonical entry bytes are the server\'s, byte for byte (src/record/entry.hpp)', async () => {
  const { canonicalEntryBytes } = await import('../../web/src/utils/merkle.js');
  // The same entry as the C++ test RecordEntry.CanonicalBytesExactFormat.
  const entry = {
    seq: 7, at_us: 1700000000000001, actor_user_id: 42, jurisdiction_id: null, department_id: -3,
    subject_type: 'case', subject_id: 9, action: 'create',
    payload_text: '{"a":"x\\"\\\\\\n\\u0001","b":[1,-2,true,null]}',
  };
  const expected = '{"action":"create","actor_user_id":42,"at_us":1700000000000001,'
    + '"department_id":-3,"jurisdiction_id":null,'
    + '"payload":{"a":"x\\"\\\\\\n\\u0001","b":[1,-2,true,null]},'
    + '"seq":7,"subject_id":9,"subject_type":"case"}';
  assert.equal(new TextDecoder().decode(canonicalEntryBytes(entry)), expected);
  // Strings are escaped by the same rules: quotes, backslashes, control characters; Chinese as is.
  const odd = { ...entry, action: 'a"b\\c\td\u0001', subject_type: '部门' };
  const text = new TextDecoder().decode(canonicalEntryBytes(odd));
  assert.ok(text.startsWith('{"action":"a\\"b\\\\c\\td\\u0001",'), text);
  assert.ok(text.endsWith('"subject_type":"部门"}'), text);
});
