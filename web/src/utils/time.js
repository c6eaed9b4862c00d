// Formatting of the server's ISO 8601 times ("2026-11-28T14:03:05+08:00").
// The wall-clock time is the one in the string (Asia/Shanghai for this
// server), whatever the time zone of the browser.

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

function pad(n) {
  return String(n).padStart(2, '0');
}

/**
 * "2026-11-28T14:03:05+08:00" → "2026年11月28日 14:03:05".
 * elapsedMs moves the time on (a running clock); the offset stays the one the
 * server gave. Returns the input unchanged when it is not an ISO time.
 */
export function formatServerTime(iso, elapsedMs = 0) {
  const m = typeof iso === 'string' ? ISO.exec(iso) : null;
  if (!m) return iso || '';
  const [, y, mo, d, h, mi, s, zone] = m;
  let offsetMin = 0;
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  // Wall time as if it were UTC, moved on by elapsedMs: offset-free arithmetic.
  const wall = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) + Math.max(0, Math.floor(elapsedMs / 1000)) * 1000);
  const text = `${wall.getUTCFullYear()}年${pad(wall.getUTCMonth() + 1)}月${pad(wall.getUTCDate())}日 `
    + `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}`;
  return offsetMin === 480 ? text : `${text}（UTC${zone === 'Z' ? '' : zone}）`;
}
