/**
 * Numbers written as Python writes them (`repr`), for the messages that quote a number
 * (`quantity_string`): an integer in full, a float in its shortest form, switching to an
 * exponent outside [1e-4, 1e16) as Python does (`1e+16`, `1e-05`, `30.0`).
 */

import { NonFiniteToken } from "./json-text.js";

const INTEGER = /^-?[0-9]+$/;

/** Python's repr of the number a JSON token (or `NaN`/`Infinity` token) denotes. */
export function reprOfToken(token: string): string {
  if (INTEGER.test(token)) return BigInt(token).toString();
  return reprOfFloat(Number(token));
}

/** The JSON text of a decoded number, as JSON.stringify writes it (`1e+21`, `30`); its token if it was NaN/Infinity. */
export function tokenOf(value: number | NonFiniteToken): string {
  return value instanceof NonFiniteToken ? value.token : JSON.stringify(value);
}

/** Python's type of the number a token denotes: `int` without a fraction or exponent, else `float`. */
export function kindOfToken(token: string): "int" | "float" {
  return INTEGER.test(token) ? "int" : "float";
}

/** `repr(float)`: shortest round-trip digits, fixed notation for exponents -4 to 15. */
export function reprOfFloat(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const sign = value < 0 ? "-" : "";
  const [mantissa, exponentText] = Math.abs(value).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
    return `${sign}${whole}.${digits.slice(exponent + 1) || "0"}`;
  }
  const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const power = `${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  return `${sign}${head}e${power}`;
}
