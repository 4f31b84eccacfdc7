/**
 * execution-group: the ExecutionGroup contract for JavaScript and TypeScript.
 *
 * `validate`, `validateJson` and `checkSuccessor` give the verdicts of the Python package
 * (`ExecutionGroup.from_document`, `ExecutionGroup.model_validate_json`, `check_successor`)
 * with the same rule codes and messages, read from the rules file the package ships. They
 * never throw: whatever the input, the answer is a verdict.
 */

import { documentErrors, type NotJsonInMetadata } from "./document.js";
import { isBytes, parseJson } from "./json-text.js";
import { jsonCopy, type Json } from "./json-value.js";
import { broken, ruleOfKind } from "./catalogue.js";
import { successorErrors } from "./successor.js";
import { verdict, type ContractError, type Verdict } from "./verdict.js";

export type { ContractError, Verdict } from "./verdict.js";
export type { ExecutionGroup, ExecutionStrategyType, GroupStatus } from "../types/execution_group.js";
export { SCHEMA as schema, RULES as rules, LIFECYCLE as lifecycle } from "./contract-files.js";

/** The rule code of a failure of this package itself (a bug): never a contract rule. */
export const INTERNAL_ERROR = "internal_error";

/** Whether `value` (a JSON value decoded by any library) keeps the full contract. */
export function validate(value: unknown): Verdict {
  return guarded(() => verdict(valueErrors(value)));
}

/**
 * Whether `text` (a string, or UTF-8 bytes) is a JSON document that keeps the full contract,
 * I-JSON included: numbers within a double's range, no lone surrogate, metadata at most
 * 199 levels deep. Duplicate member names: the last one wins, as in every parser.
 */
export function validateJson(text: unknown): Verdict {
  return guarded(() => verdict(textErrors(text)));
}

/**
 * Whether `after` is a legal later snapshot of the group `before` is. Each argument is a
 * decoded value, or JSON text (a string or UTF-8 bytes).
 */
export function checkSuccessor(before: unknown, after: unknown): Verdict {
  return guarded(() => {
    const [beforeValue, beforeErrors] = snapshot(before);
    const [afterValue, afterErrors] = snapshot(after);
    return verdict(successorErrors(beforeValue, beforeErrors, afterValue, afterErrors));
  });
}

function snapshot(input: unknown): [Json, ContractError[]] {
  if (typeof input === "string" || isBytes(input)) {
    const parsed = parseJson(input);
    return parsed.ok ? [parsed.value, documentErrors(parsed.value)] : [null, [jsonInvalid(parsed.error)]];
  }
  const { value, notJson } = jsonCopy(input);
  return [value, documentErrors(value, metadataParts(notJson))];
}

function valueErrors(input: unknown): ContractError[] {
  const { value, notJson } = jsonCopy(input);
  return documentErrors(value, metadataParts(notJson));
}

function textErrors(text: unknown): ContractError[] {
  const parsed = parseJson(text);
  return parsed.ok ? documentErrors(parsed.value) : [jsonInvalid(parsed.error)];
}

function jsonInvalid(error: string): ContractError {
  return broken([], ruleOfKind("json"), { error });
}

/** The parts inside `metadata` that are not JSON, located from metadata down. */
function metadataParts(notJson: readonly { loc: (string | number)[]; found: string }[]): NotJsonInMetadata[] {
  return notJson
    .filter(({ loc }) => loc.length > 1 && loc[0] === "metadata")
    .map(({ loc, found }) => ({ loc: loc.slice(1), problem: `${found} cannot be written as JSON` }));
}

/** `run()`, or the verdict that says this package failed (it never throws). */
function guarded(run: () => Verdict): Verdict {
  try {
    return run();
  } catch (error) {
    let detail = "unknown failure";
    try {
      detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    } catch {
      // an exotic thrown value whose conversion throws: keep the generic text
    }
    return {
      valid: false,
      errors: [{ path: "", rule: INTERNAL_ERROR, message: `execution-group could not check the input (${detail})` }],
    };
  }
}
