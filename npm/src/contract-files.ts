/**
 * The contract's data files, bundled at build time from the package's `schema/` folder (the
 * repository's `schema/`, copied by build.mjs): the JSON Schema, the rules file and the
 * lifecycle file. Nothing here restates a rule, a code or a message.
 */

import schemaFile from "../schema/execution_group.schema.json" with { type: "json" };
import rulesFile from "../schema/execution_group.rules.json" with { type: "json" };
import lifecycleFile from "../schema/execution_group.lifecycle.json" with { type: "json" };

/** A catalogue entry: one rule code's message and what it is about. */
export interface RuleEntry {
  kind: string;
  message: string;
  field?: string;
  schema_path?: string[];
  /** The texts of the message's `{problem}`, by name (their own `{name}`s filled by the code). */
  problems?: Record<string, string>;
}

/** One check of the rules file (`document` or `successor`); see the rules file's README section. */
export interface Check {
  rule: string;
  each?: { lifecycle?: string; list?: string[]; bind: string[] };
  at: unknown[];
  when?: unknown;
  require: unknown;
  context?: Record<string, unknown>;
}

export interface RulesFile {
  [member: string]: unknown;
  format: number;
  limits: { metadata_depth: number; metadata_expansion: number; metadata_text_unit: number };
  declared: Record<string, string>;
  rules: Record<string, RuleEntry>;
  document: Check[];
  successor: Check[];
}

export interface SchemaFile {
  [member: string]: unknown;
  $id: string;
  examples: unknown[];
  $defs: Record<string, { enum?: string[] }>;
  properties: Record<string, Record<string, unknown>>;
  required: string[];
}

export type LifecycleFile = Record<string, unknown> & {
  transitions: Record<string, string[]>;
};

/** `value` and everything in it made read-only: a caller cannot change the contract the checks read. */
function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node !== null && typeof node === "object" && !Object.isFrozen(node)) {
      Object.freeze(node);
      stack.push(...Object.values(node));
    }
  }
  return value;
}

export const SCHEMA = deepFreeze(schemaFile as unknown as SchemaFile);
export const RULES = deepFreeze(rulesFile as unknown as RulesFile);
export const LIFECYCLE = deepFreeze(lifecycleFile as unknown as LifecycleFile);

/** The rules file format this code interprets. */
const FORMAT = 1;
if (RULES.format !== FORMAT) {
  throw new Error(`execution-group reads rules format ${FORMAT}, the rules file is format ${RULES.format}`);
}
