/**
 * A JSON value, copied out of whatever a caller passes to `validate`.
 *
 * The caller's value may be anything: a Proxy whose traps throw, getters that throw or
 * answer differently each time, cycles, BigInt, Date, Map, class instances, `undefined`.
 * The checks run on a copy taken in one pass, so they see one consistent value, and each
 * part that JSON cannot carry is reported where it sits instead of being dropped or
 * converted (JSON.stringify would write a Date as a string and drop `undefined`). The walk
 * keeps its own stack: no nesting depth overflows it. A container met twice (shared, not
 * cyclic) is copied once, so the work stays linear in the caller's objects.
 */

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

/** One part of the input that is not JSON, and where it sits. */
export interface NotJson {
  loc: (string | number)[];
  /** What was found, for the message: "a bigint", "a cycle", "a Date", ... */
  found: string;
}

/** A place as a link to its container's place: no path is copied while walking. */
export interface Step {
  up: Step | null;
  key: string | number;
}

/** The keys and indexes from the top down to `step`. */
export function locOf(step: Step | null): (string | number)[] {
  const loc: (string | number)[] = [];
  for (let at = step; at !== null; at = at.up) loc.push(at.key);
  return loc.reverse();
}

interface Frame {
  source: object;
  target: Json[] | JsonObject;
  /** A plain object's keys, or an array's length (its indexes are not listed). */
  keys: readonly string[] | number;
  next: number;
  step: Step | null;
}

/** What stands in the copy for a part that is not JSON: no JSON type, so every check refuses it. */
export const NOT_JSON: unique symbol = Symbol("not JSON");
const PLACEHOLDER = NOT_JSON as unknown as Json;
const MAX_REPORTS = 100;

/**
 * `input` as a JSON value (each part that is not JSON replaced by `NOT_JSON`), and those parts.
 * A member of the top-level object whose value is `undefined` is absent, as JSON.stringify and
 * TypeScript's optional members have it; anywhere else `undefined` is not JSON.
 */
export function jsonCopy(input: unknown): { value: Json; notJson: NotJson[] } {
  const notJson: NotJson[] = [];
  const done = new Map<object, Json>();
  const open = new Set<object>();
  const stack: Frame[] = [];
  // Each report costs the depth of its place: a bounded number keeps the walk linear.
  const report = (step: Step | null, found: string): void => {
    if (notJson.length < MAX_REPORTS) notJson.push({ loc: locOf(step), found });
  };

  /** The copy of `node` at `loc`, or a fresh container whose frame is pushed. */
  const copyOf = (node: unknown, step: Step | null): Json => {
    const scalar = scalarCopy(node);
    if (scalar !== undefined) return scalar.value;
    if (typeof node !== "object" || node === null) {
      report(step, describe(node));
      return PLACEHOLDER;
    }
    if (open.has(node)) {
      report(step, "a cycle (a value that contains itself)");
      return PLACEHOLDER;
    }
    const known = done.get(node);
    if (known !== undefined) return known;
    const shape = containerShape(node);
    if (typeof shape === "string") {
      report(step, shape);
      return PLACEHOLDER;
    }
    const target: Json[] | JsonObject = shape.array ? [] : Object.create(null);
    open.add(node);
    done.set(node, target);
    stack.push({ source: node, target, keys: shape.keys, next: 0, step });
    return target;
  };

  const value = copyOf(input, null);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    const size = typeof frame.keys === "number" ? frame.keys : frame.keys.length;
    if (frame.next === size) {
      open.delete(frame.source);
      stack.pop();
      continue;
    }
    const key = typeof frame.keys === "number" ? frame.next : (frame.keys[frame.next] as string);
    frame.next++;
    const step: Step = { up: frame.step, key };
    let item: unknown;
    let copy: Json;
    try {
      item = (frame.source as Record<string | number, unknown>)[key];
      if (item === undefined && frame.step === null && !Array.isArray(frame.target)) continue;
      copy = copyOf(item, step);
    } catch {
      report(step, "a property that cannot be read (its getter threw)");
      copy = PLACEHOLDER;
    }
    if (Array.isArray(frame.target)) frame.target.push(copy);
    else frame.target[key] = copy;
  }
  return { value, notJson };
}

/** `{value}` for a JSON scalar, `undefined` for anything else. */
function scalarCopy(node: unknown): { value: Json } | undefined {
  switch (typeof node) {
    case "string":
    case "boolean":
      return { value: node };
    case "number":
      // NaN and Infinity stay in the copy: the contract's checks report them where they sit.
      return { value: node };
    default:
      return node === null ? { value: null } : undefined;
  }
}

/** An array's indexes or a plain object's keys; else what the object is, for the message. */
function containerShape(node: object): { array: boolean; keys: readonly string[] | number } | string {
  try {
    if (Array.isArray(node)) {
      const length = node.length;
      // A hole is no JSON value; a sparse array is refused before its length is walked.
      if (Object.keys(node).length < length) return "a sparse array (its holes are not JSON)";
      return { array: true, keys: length };
    }
    const kind = Object.prototype.toString.call(node);
    const prototype: unknown = Object.getPrototypeOf(node);
    const plain =
      kind === "[object Object]" &&
      (prototype === null || Object.getPrototypeOf(prototype as object) === null);
    if (!plain) return describe(node);
    return { array: false, keys: Object.keys(node) };
  } catch {
    return "an object that cannot be read (a trap or getter threw)";
  }
}

function describe(node: unknown): string {
  if (node === undefined) return "undefined";
  if (typeof node === "bigint") return "a bigint";
  if (typeof node === "symbol") return "a symbol";
  if (typeof node === "function") return "a function";
  try {
    const name = (node as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === "string" && name !== "" ? `a ${name}` : "an object that is not plain";
  } catch {
    return "an object that cannot be read (a trap or getter threw)";
  }
}
