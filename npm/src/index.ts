/**
 * execution-group: the ExecutionGroup contract for JavaScript and TypeScript.
 *
 * `validate`, `validateJson` and `checkSuccessor` give the verdicts of the Python package
 * (`ExecutionGroup.from_document`, `ExecutionGroup.model_validate_json`, `check_successor`)
 * with the same rule codes and messages, read from the rules file the package ships. They
 * never throw: whatever the input, the answer is a verdict.
 */

import { documentErrors } from "./document.js";
import { isBytes, parseJson, topLevelNumbers, type NonFiniteToken } from "./json-text.js";
import { tokenOf } from "./python-repr.js";
import { jsonCopy, type Json } from "./json-value.js";
import { broken, message, ruleOfKind } from "./catalogue.js";
import { successorErrors } from "./successor.js";
import { verdict, type ContractError, type Verdict } from "./verdict.js";

export type { ContractError, Verdict } from "./verdict.js";
export type { ExecutionGroup, ExecutionStrategyType, GroupStatus } from "../types/execution_group.js";
export { SCHEMA as schema, RULES as rules, LIFECYCLE as lifecycle } from "./contract-files.js";

/**
 * The rule code of a failure of this package itself (a bug), from the rules file's catalogue
 * (kind `internal`): never a contract rule, and no input should produce it.
 */
export const INTERNAL_ERROR = ruleOfKind("internal");

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

/** A `checkSuccessor` argument: JSON text (a string or bytes) or a decoded value. */
function snapshot(input: unknown): [Json, ContractError[]] {
  return typeof input === "string" || isBytes(input) ? fromText(input) : fromValue(input);
}

function valueErrors(input: unknown): ContractError[] {
  return fromValue(input)[1];
}

function fromValue(input: unknown): [Json, ContractError[]] {
  const { value, notJson } = jsonCopy(input);
  return [value, documentErrors(value, { from: "value", notJson })];
}

function textErrors(text: unknown): ContractError[] {
  return fromText(text)[1];
}

function fromText(text: unknown): [Json, ContractError[]] {
  const parsed = parseJson(text);
  if (!parsed.ok) return [null, [broken([], ruleOfKind("json"), { error: parsed.error })]];
  let numbers: Map<string, string> | undefined;
  const numberText = (member: string, value: number | NonFiniteToken): string => {
    numbers ??= topLevelNumbers(parsed.text);
    return numbers.get(member) ?? tokenOf(value);
  };
  return [parsed.value, documentErrors(parsed.value, { from: "text", tokens: parsed.tokens, numberText })];
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
      errors: [{ path: "", rule: INTERNAL_ERROR, message: message(INTERNAL_ERROR, { detail }) }],
    };
  }
}
