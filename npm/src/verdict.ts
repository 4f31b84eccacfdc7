/** What every check returns: a verdict and, when it is `false`, every broken rule. */

/** One broken rule: where (a JSON Pointer into the checked value), which rule, and why. */
export interface ContractError {
  /** JSON Pointer (RFC 6901) to the offending value; `""` is the whole value. */
  path: string;
  /** The rule's code, as Python reports it (the error `type`). */
  rule: string;
  /** The rule's message, as Python reports it (the error `msg`). */
  message: string;
}

export interface Verdict {
  valid: boolean;
  errors: ContractError[];
}

/** A location as a list of keys and indexes (Python's `loc`). */
export type Location = readonly (string | number)[];

/** `loc` written as a JSON Pointer: `["order_ids", 0]` is `/order_ids/0`. */
export function pointer(loc: Location): string {
  return loc.map((step) => "/" + String(step).replaceAll("~", "~0").replaceAll("/", "~1")).join("");
}

export function verdict(errors: ContractError[]): Verdict {
  return { valid: errors.length === 0, errors };
}
