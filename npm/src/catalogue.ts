/**
 * Rule codes and messages, from the rules file's catalogue. A message's `{name}`
 * placeholders are filled from a context, as Python fills them.
 */

import { RULES, type RuleEntry } from "./contract-files.js";
import type { ContractError, Location } from "./verdict.js";
import { pointer } from "./verdict.js";

/** The catalogue entry of `rule`; the rules file must define every code this package reports. */
export function entry(rule: string): RuleEntry {
  const found = Object.hasOwn(RULES.rules, rule) ? RULES.rules[rule] : undefined;
  if (found === undefined) throw new Error(`rule ${rule} is not in the rules file's catalogue`);
  return found;
}

/**
 * The first code (in catalogue order) whose `schema_path` lists `schemaPath`, a JSON Pointer
 * fragment such as `#/$defs/GroupId`. `quantity_string` shares `#/$defs/Quantity` with
 * `quantity_form`, which comes first; a number where a quantity belongs is chosen by name.
 */
export function ruleForSchemaPath(schemaPath: string): string {
  for (const [rule, { schema_path: paths }] of Object.entries(RULES.rules)) {
    if (paths?.includes(schemaPath)) return rule;
  }
  throw new Error(`no rule of the catalogue covers ${schemaPath}`);
}

/** The code of the one catalogue entry of `kind` (`json`, ...). */
export function ruleOfKind(kind: string): string {
  const codes = Object.keys(RULES.rules).filter((rule) => RULES.rules[rule]?.kind === kind);
  if (codes.length !== 1) throw new Error(`the catalogue has ${codes.length} rules of kind ${kind}`);
  return codes[0] as string;
}

/** `rule`'s message with each `{name}` replaced by `context[name]`. */
export function message(rule: string, context: Readonly<Record<string, string>> = {}): string {
  return filled(entry(rule).message, context);
}

/** The text `name` of the `{problem}` in `rule`'s message, its own placeholders filled from `context`. */
export function problem(rule: string, name: string, context: Readonly<Record<string, string>> = {}): string {
  const problems = entry(rule).problems;
  const text = problems !== undefined && Object.hasOwn(problems, name) ? problems[name] : undefined;
  if (text === undefined) throw new Error(`rule ${rule} has no problem ${name} in the rules file's catalogue`);
  return filled(text, context);
}

function filled(template: string, context: Readonly<Record<string, string>>): string {
  return template.replace(/\{([a-z_]+)\}/g, (whole, name: string) =>
    Object.hasOwn(context, name) ? (context[name] as string) : whole,
  );
}

/** The error reporting `rule` at `loc`. */
export function broken(
  loc: Location,
  rule: string,
  context: Readonly<Record<string, string>> = {},
): ContractError {
  return { path: pointer(loc), rule, message: message(rule, context) };
}
