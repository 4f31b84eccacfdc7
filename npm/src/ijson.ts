/**
 * The I-JSON profile (RFC 7493) on a decoded document, which JSON Schema cannot state:
 * every number within a double's range (`JSON.parse` turns `1e400` into `Infinity`), every
 * string and member name well-formed Unicode (an escaped `\ud800` survives `JSON.parse` as
 * a lone surrogate), nesting bounded (`metadata` at most the rules file's limit deep).
 *
 * The first breach is reported, found in the order Python's walk finds it (a stack: a
 * container's member names when it is reached, its members last to first), so both
 * runtimes name the same place. The walk keeps its own stack: no depth overflows it. A
 * container shared by several parents (a JavaScript value can do that, as a Python one can)
 * is walked once per parent, as JSON would write it, until the walk passes the rules file's
 * `metadata_expansion` values: then it is refused (`metadata_size`), as in Python.
 */

import { problem } from "./catalogue.js";
import { RULES } from "./contract-files.js";
import { NonFiniteToken } from "./json-text.js";
import type { Json, JsonObject, Step } from "./json-value.js";
import { locOf } from "./json-value.js";

export interface Breach {
  rule: string;
  loc: (string | number)[];
  context: Record<string, string>;
}

const LONE_SURROGATE = /\p{Cs}/u;
/** A document's depth bound: `metadata` is one level below the top. */
const DOCUMENT_DEPTH = RULES.limits.metadata_depth + 1;
/** Most values a walk visits once a container is met twice (a parsed document is a tree, never shared). */
const MAX_EXPANSION = RULES.limits.metadata_expansion;
/** Python's account of that refusal (rule `metadata_size`). */
const REUSED = problem("metadata_size", "reused", {
  limit: String(MAX_EXPANSION),
  unit: String(RULES.limits.metadata_text_unit),
});

interface Item {
  node: Json;
  step: Step | null;
  depth: number;
}

/** The first I-JSON breach of `document`, or `undefined`. NaN (not JSON at all) is `metadata_json`. */
export function firstBreach(document: Json): Breach | undefined {
  const stack: Item[] = [{ node: document, step: null, depth: 0 }];
  const seen = new Set<object>();
  let shared = false;
  let visits = 0;
  while (stack.length > 0) {
    const { node, step, depth } = stack.pop() as Item;
    visits++;
    if (depth > DOCUMENT_DEPTH) return breach("ijson_depth", step, { limit: String(RULES.limits.metadata_depth) });
    if (typeof node === "string") {
      if (LONE_SURROGATE.test(node)) return breach("ijson_unicode", step);
      continue;
    }
    if (typeof node === "number") {
      if (Number.isNaN(node)) return breach("metadata_json", step, { problem: problem("metadata_json", "non_finite", { value: "NaN" }) });
      if (!Number.isFinite(node)) return breach("ijson_number_range", step);
      continue;
    }
    if (node === null || typeof node !== "object" || node instanceof NonFiniteToken) continue;
    if (seen.has(node)) shared = true;
    seen.add(node);
    if (shared && visits > MAX_EXPANSION) return breach("metadata_size", step, { problem: REUSED });
    const keys = Object.keys(node);
    for (const key of keys) {
      if (!Array.isArray(node) && LONE_SURROGATE.test(key)) return breach("ijson_unicode", step);
      const member = Array.isArray(node) ? Number(key) : key;
      stack.push({ node: (node as JsonObject)[key] as Json, step: { up: step, key: member }, depth: depth + 1 });
    }
  }
  return undefined;
}

function breach(rule: string, step: Step | null, context: Record<string, string> = {}): Breach {
  return { rule, loc: locOf(step), context };
}

/**
 * Whether Python's JSON reader would refuse the text of `document` in its parser (a lone
 * surrogate anywhere, nesting past its limit) or in its metadata check (a number beyond a
 * double inside `metadata`), and so judge the decoded value instead: the first breach is then
 * the only error. Other breaches (a number beyond a double in `group_id`) meet the member's
 * own check first, as they do in Python.
 */
export function breachStopsReading(document: Json, breachFound: Breach): boolean {
  if (breachFound.rule !== "ijson_number_range") return true;
  if (document === null || typeof document !== "object" || Array.isArray(document)) return false;
  const metadata = (document as JsonObject).metadata;
  return metadata !== undefined && holdsOutOfRange(metadata);
}

function holdsOutOfRange(value: Json): boolean {
  const stack: Json[] = [value];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const node = stack.pop() as Json;
    if (typeof node === "number" && !Number.isFinite(node) && !Number.isNaN(node)) return true;
    if (node === null || typeof node !== "object" || node instanceof NonFiniteToken || seen.has(node)) continue;
    seen.add(node);
    for (const item of Object.values(node)) stack.push(item);
  }
  return false;
}
