/**
 * The I-JSON profile (RFC 7493) on a decoded value, which JSON Schema cannot state: every
 * number within a double's range (`JSON.parse` turns `1e400` into `Infinity`), every string
 * and member name well-formed Unicode (an escaped `\ud800` survives `JSON.parse` as a lone
 * surrogate), and `metadata` nested no deeper than the rules file's limit.
 *
 * One iterative walk: no nesting depth overflows the stack. A container shared by several
 * parents (possible in a value built in JavaScript, never in parsed text) is walked again
 * only when met deeper than before, so the work stays linear.
 */

import { RULES } from "./contract-files.js";
import type { Json, JsonObject, Step } from "./json-value.js";
import { locOf } from "./json-value.js";
import { NonFiniteToken } from "./json-text.js";

export type IJsonRule = "ijson_number_range" | "ijson_unicode" | "ijson_depth";

export interface IJsonProblem {
  rule: IJsonRule;
  loc: (string | number)[];
}

const LONE_SURROGATE = /\p{Cs}/u;
const METADATA = "metadata";

interface Item {
  node: Json;
  step: Step | null;
  /** Levels below `metadata` (0 is metadata itself); -1 outside it. */
  depth: number;
}

/** Every place of `document` that I-JSON forbids, in document order; the depth limit once. */
export function ijsonProblems(document: Json): IJsonProblem[] {
  const limit = RULES.limits.metadata_depth;
  const problems: IJsonProblem[] = [];
  const deepest = new Map<object, number>();
  let tooDeep = false;
  const stack: Item[] = [{ node: document, step: null, depth: -1 }];
  while (stack.length > 0) {
    const { node, step, depth } = stack.pop() as Item;
    if (depth > limit) {
      if (!tooDeep) problems.push({ rule: "ijson_depth", loc: [METADATA] });
      tooDeep = true;
      continue;
    }
    if (typeof node === "number") {
      if (!Number.isFinite(node)) problems.push({ rule: "ijson_number_range", loc: locOf(step) });
      continue;
    }
    if (typeof node === "string") {
      if (LONE_SURROGATE.test(node)) problems.push({ rule: "ijson_unicode", loc: locOf(step) });
      continue;
    }
    if (node === null || typeof node !== "object" || node instanceof NonFiniteToken) continue;
    const before = deepest.get(node);
    if (before !== undefined && before >= depth) continue;
    const revisit = before !== undefined;
    deepest.set(node, depth);
    const keys = Object.keys(node);
    for (let index = keys.length - 1; index >= 0; index--) {
      const key = keys[index] as string;
      const member: string | number = Array.isArray(node) ? index : key;
      const child = (node as JsonObject)[key] as Json;
      if (revisit && (child === null || typeof child !== "object")) continue; // checked the first time
      const childStep: Step = { up: step, key: member };
      if (!revisit && typeof member === "string" && LONE_SURROGATE.test(member)) {
        problems.push({ rule: "ijson_unicode", loc: locOf(childStep) });
      }
      const childDepth = depth >= 0 ? depth + 1 : step === null && member === METADATA ? 0 : -1;
      stack.push({ node: child, step: childStep, depth: childDepth });
    }
  }
  return problems;
}
