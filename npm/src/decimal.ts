/**
 * Exact comparison of quantities. A quantity is a decimal string in plain notation (the
 * schema's `Quantity` pattern); converting it to a JavaScript number would round it, so two
 * strings are compared digit by digit: `"100.0"` equals `"100"`, `"0.3"` is more than
 * `"0.29999999"`.
 */

const PLAIN = /^([0-9]+)(?:\.([0-9]+))?$/;

/** -1, 0 or 1 as `a` is below, equal to or above `b`; both in plain notation, no sign. */
export function compareDecimals(a: string, b: string): number {
  const [intA, fracA] = parts(a);
  const [intB, fracB] = parts(b);
  if (intA.length !== intB.length) return intA.length < intB.length ? -1 : 1;
  if (intA !== intB) return intA < intB ? -1 : 1;
  const width = Math.max(fracA.length, fracB.length);
  const padA = fracA.padEnd(width, "0");
  const padB = fracB.padEnd(width, "0");
  if (padA === padB) return 0;
  return padA < padB ? -1 : 1;
}

/** Integer digits without leading zeros, decimal digits without trailing zeros. */
function parts(text: string): [string, string] {
  const match = PLAIN.exec(text);
  if (match === null) throw new TypeError(`not a plain decimal: ${JSON.stringify(text)}`);
  const integer = (match[1] ?? "").replace(/^0+(?=[0-9])/, "");
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  return [integer, fraction];
}
