/**
 * Whether one snapshot of a group may legally follow another: both keep the full contract,
 * then every successor check of the rules file holds (immutable members equal as values,
 * the status reachable, the order list only appended to, `updated_at` not earlier).
 */

import { brokenChecks } from "./conditions.js";
import { RULES } from "./contract-files.js";
import type { Json } from "./json-value.js";
import type { ContractError } from "./verdict.js";

/** The errors of one snapshot, relocated under `root` (`before` or `after`). */
function under(root: string, errors: readonly ContractError[]): ContractError[] {
  return errors.map((error) => ({ ...error, path: `/${root}${error.path}` }));
}

/**
 * `beforeErrors`/`afterErrors` are each snapshot's own errors under the full contract; the
 * successor checks run only when both are empty.
 */
export function successorErrors(
  before: Json,
  beforeErrors: readonly ContractError[],
  after: Json,
  afterErrors: readonly ContractError[],
): ContractError[] {
  if (beforeErrors.length > 0 || afterErrors.length > 0) {
    return [...under("before", beforeErrors), ...under("after", afterErrors)];
  }
  return brokenChecks(RULES.successor, { before, after });
}
