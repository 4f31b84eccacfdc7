/**
 * Timestamps compared as instants, to the nanosecond. A timestamp that passed the schema's
 * `Timestamp` pattern is UTC (`Z` or `+00:00`) with a four-digit year and zero to nine
 * fraction digits, so its instant is its date and time with the fraction padded to nine
 * digits: such keys sort as the instants do.
 */

const FORM = /^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.([0-9]{1,9}))?(?:Z|\+00:00)$/;

/** A key that orders timestamps as instants; `Z` and `+00:00` give the same key. */
export function instantKey(timestamp: string): string {
  const match = FORM.exec(timestamp);
  if (match === null) throw new TypeError(`not a UTC timestamp: ${JSON.stringify(timestamp)}`);
  return `${match[1] ?? ""}.${(match[2] ?? "").padEnd(9, "0")}`;
}

/** -1, 0 or 1 as instant `a` is before, at or after instant `b`. */
export function compareInstants(a: string, b: string): number {
  const keyA = instantKey(a);
  const keyB = instantKey(b);
  if (keyA === keyB) return 0;
  return keyA < keyB ? -1 : 1;
}
