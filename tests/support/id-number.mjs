// Made-up 居民身份证号码 for tests (GB 11643: a 永城市 region code, a birth
// date, a serial and the MOD 11-2 check character). Random, so that tests
// entering people can run again on one PostgreSQL database.
import { randomBytes } from 'node:crypto';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** The check character of the first 17 digits. */
export function idCheckCharacter(body) {
  const sum = [...body].reduce((s, d, i) => s + Number(d) * WEIGHTS[i], 0);
  return '10X98765432'[sum % 11];
}

/** A valid number of 永城市 (411481), new each call. */
export function idNumber() {
  const bytes = randomBytes(6);
  const year = 1960 + (bytes[0] % 40);
  const month = 1 + (bytes[1] % 12);
  const day = 1 + (bytes[2] % 28);
  const serial = (bytes.readUInt16BE(3) % 1000).toString().padStart(3, '0');
  const body = `411481${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${serial}`;
  return body + idCheckCharacter(body);
}

/** How every answer shows one: region, eight stars, the last four. */
export const maskedIdNumber = (id) => `${id.slice(0, 6)}********${id.slice(14)}`;
