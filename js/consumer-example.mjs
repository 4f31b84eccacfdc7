// @ts-check
// A JavaScript consumer of the ExecutionGroup contract: Ajv 8 (draft 2020-12, default
// options) with ajv-formats validates, and the generated type describes what passed.
// Run: node js/consumer-example.mjs        Type-check: npx --prefix js tsc -p js/tsconfig.json
import { readFileSync } from "node:fs";

import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/** @typedef {import("../generated/typescript/execution_group").ExecutionGroup} ExecutionGroup */

const schema = JSON.parse(
  readFileSync(new URL("../schema/execution_group.schema.json", import.meta.url), "utf8"),
);
const ajv = new Ajv2020(); // default options: strict mode. Do not loosen them.
addFormats(ajv); // "format": "date-time" is checked only with ajv-formats
const validateGroup = /** @type {import("ajv").ValidateFunction<ExecutionGroup>} */ (
  ajv.compile(schema)
);

/**
 * Parse and validate one document; throws on anything the contract rejects.
 * JSON.parse is strict RFC 8259 (no NaN). Quantities stay strings: never Number() them.
 * @param {string} text
 * @returns {ExecutionGroup}
 */
export function parseExecutionGroup(text) {
  const document = JSON.parse(text);
  if (!validateGroup(document)) {
    throw new Error(`invalid ExecutionGroup: ${ajv.errorsText(validateGroup.errors)}`);
  }
  return document; // narrowed to ExecutionGroup by the type guard
}

const group = parseExecutionGroup(JSON.stringify(schema.examples[0]));
/** @type {string} */
const status = group.status;
console.log(`${group.group_id}: ${status}, ${group.order_ids.length} orders, filled ${group.filled_quantity}`);

try {
  parseExecutionGroup(JSON.stringify({ ...schema.examples[0], updated_at: "2025-10-28 14:35:15Z" }));
} catch (error) {
  console.log(/** @type {Error} */ (error).message);
}
