// The scenario runner's JSON subset matching: it must report every mismatch,
// or a scenario could pass without checking anything.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchJson, parseResponse } from './helpers.mjs';

const ok = (expected, actual) => assert.deepEqual(matchJson(expected, actual), [], JSON.stringify({ expected, actual }));
const bad = (expected, actual, pattern) => {
  const problems = matchJson(expected, actual);
  assert.ok(problems.length > 0, `expected a mismatch: ${JSON.stringify({ expected, actual })}`);
  if (pattern) assert.match(problems.join('\n'), pattern);
};

test('objects match as a subset, recursively', () => {
  ok({ a: 1 }, { a: 1, b: 2 });
  ok({ error: { code: 'x' } }, { error: { code: 'x', message: 'm' } });
  bad({ a: 1 }, { a: 2 }, /\$\.a: expected 1, got 2/);
  bad({ a: 1 }, { b: 1 }, /\$\.a: missing/);
  bad({ error: { code: 'x' } }, { error: { code: 'y' } }, /\$\.error\.code/);
  bad({ a: {} }, { a: [] }, /expected an object/);
  bad({ a: 1 }, [1], /expected an object/);
  bad({ a: '1' }, { a: 1 });
  bad({ a: null }, { a: 0 });
  ok({ a: null }, { a: null });
});

test('$regex, $type and $absent', () => {
  ok({ t: '$regex:^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\+08:00$' }, { t: '2024-05-01T08:00:00+08:00' });
  bad({ t: '$regex:^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\+08:00$' }, { t: '2024-05-01T00:00:00Z' });
  bad({ t: '$regex:.' }, { t: 5 }, /expected a string/);
  ok({ n: '$type:number', s: '$type:string', o: '$type:object', a: '$type:array', b: '$type:boolean', z: '$type:null' },
    { n: 1, s: '', o: {}, a: [], b: false, z: null });
  bad({ o: '$type:object' }, { o: [] }, /expected type object, got array/);
  bad({ o: '$type:object' }, { o: null });
  ok({ v: '$type:string|null' }, { v: null });
  bad({ v: '$type:string' }, {}, /missing/);
  assert.throws(() => matchJson({ v: '$type:integer' }, { v: 1 }), /unknown type/);
  ok({ count: '$absent' }, { text: 'a' });
  bad({ count: '$absent' }, { count: null }, /expected no such member/);
});

test('arrays: element-wise with equal length, or $contains', () => {
  ok([1, { a: 2 }], [1, { a: 2, b: 3 }]);
  bad([1, 2], [1, 2, 3], /expected 2 element/);
  bad([1, 2], [2, 1]);
  bad([1], { 0: 1 }, /expected an array/);
  ok({ $contains: [{ id: 2 }, 1] }, [1, { id: 2, x: 0 }, 3]);
  bad({ $contains: [{ id: 2 }] }, [{ id: 3 }], /no element matches/);
  bad({ $contains: [1, 1] }, [1], /no element matches/);
  assert.throws(() => matchJson({ $contains: [1], x: 1 }, [1]), /\$contains/);
});

test('raw responses are parsed only when complete', () => {
  const full = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A: b\r\n\r\nokHTTP/1.1');
  const r = parseResponse(full);
  assert.equal(r.status, 200);
  assert.equal(r.body, 'ok');
  assert.equal(r.headers['x-a'], 'b');
  assert.equal(r.rest.toString(), 'HTTP/1.1');
  assert.equal(parseResponse(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nok')), null);
  assert.equal(parseResponse(Buffer.from('HTTP/1.1 200 OK\r\n')), null);
});
