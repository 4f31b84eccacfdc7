// A TypeScript consumer of the packed package: type-checked under moduleResolution NodeNext
// and Bundler, then run. Compilation fails if a declaration is missing or wrong.
import { readFileSync } from "node:fs";

import {
  checkSuccessor,
  schema,
  validate,
  validateJson,
  type ContractError,
  type ExecutionGroup,
  type GroupStatus,
  type Verdict,
} from "execution-group";

const group: ExecutionGroup = {
  group_id: "EXG_20251028_143022_a8f3c",
  parent_directive_id: "EXE_20251028_143020_b7c4d890",
  execution_strategy: "TWAP",
  order_ids: ["binance_123"],
  status: "ACTIVE",
  created_at: "2025-10-28T14:30:22Z",
  updated_at: "2025-10-28T14:35:15Z",
  target_quantity: "100.0",
  filled_quantity: "30.0",
};
const later: ExecutionGroup = { ...group, status: "COMPLETED", completed_at: "2025-10-28T15:00:00Z", updated_at: "2025-10-28T15:00:00Z" };

const verdicts: Verdict[] = [
  validate(group),
  validateJson(JSON.stringify(group)),
  validateJson(new TextEncoder().encode(JSON.stringify(group))),
  checkSuccessor(group, later),
  validate(JSON.parse(readFileSync(new URL("../document.json", import.meta.url), "utf8"))),
];
const first: ContractError | undefined = validate({ ...group, filled_quantity: "100.1" }).errors[0];
const status: GroupStatus = later.status;
const id: string = schema.$id;

// @ts-expect-error -- validate takes one argument
validate();
// @ts-expect-error -- errors is an array of ContractError, not a string
const wrong: string = validate(group).errors;

console.log(JSON.stringify({ valid: verdicts.map((verdict) => verdict.valid), rule: first?.rule, status, id, wrong: typeof wrong }));
