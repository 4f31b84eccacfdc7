/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT. TypeScript types of an ExecutionGroup document.
 *
 * Source: schema/execution_group.schema.json
 * Generator: json-schema-to-typescript 16.0.0 (pinned in js/package.json),
 *   run by js/generate-types.mjs.
 * Regenerate: npm ci --prefix js && node js/generate-types.mjs   (or: nox -s ts)
 * Check for drift: node js/generate-types.mjs --check            (or: nox -s drift_ts)
 */

/*
 * Types alone do not validate: the patterns (ids, timestamps, decimal strings) and the
 * cross-field rules of the schema's allOf are checked at run time by a JSON Schema
 * validator, e.g. Ajv 8 (ajv/dist/2020) with ajv-formats, default options.
 */

/**
 * EXG_YYYYMMDD_HHMMSS_xxxxx: UTC creation second and five characters of [0-9a-z].
 */
export type GroupId = string;
/**
 * EXE_YYYYMMDD_HHMMSS_xxxxxxxx: the ExecutionDirective id, eight lower-case hex characters.
 */
export type DirectiveId = string;
/**
 * How the parent directive is worked in the market.
 */
export type ExecutionStrategyType = "SINGLE" | "TWAP" | "VWAP" | "ICEBERG" | "DCA" | "LAYERED" | "POV";
/**
 * A connector order id: 1 to 128 printable ASCII characters, no spaces.
 */
export type OrderId = string;
/**
 * Where the group is in its lifecycle; see execution_group.lifecycle.json for the allowed transitions.
 */
export type GroupStatus = "PENDING" | "ACTIVE" | "COMPLETED" | "CANCELLED" | "FAILED" | "PARTIAL";
/**
 * RFC 3339 instant in UTC: YYYY-MM-DDTHH:MM:SS[.f{1,9}] then Z or +00:00; a real calendar date and time (no hour 24, no leap second).
 */
export type Timestamp = string;
/**
 * A decimal quantity as a string in plain notation: at most 12 integer digits and 8 decimal places, no sign, no exponent, no leading zeros.
 */
export type Quantity = string;

/**
 * The family of child orders that one execution directive spawns: which orders belong to it, where it is in its lifecycle, and how much of its target is filled. Contract version 1.0.1.
 */
export interface ExecutionGroup {
  group_id: GroupId;
  parent_directive_id: DirectiveId;
  execution_strategy: ExecutionStrategyType;
  /**
   * Connector order ids of the group's child orders, in the order they were added; no duplicates.
   */
  order_ids: OrderId[];
  status: GroupStatus;
  created_at: Timestamp;
  updated_at: Timestamp;
  /**
   * Quantity the group aims to fill; positive; fixed at creation. Required for TWAP, DCA and LAYERED.
   */
  target_quantity?: Quantity | null;
  /**
   * Quantity filled so far across all orders; never above target_quantity.
   */
  filled_quantity?: Quantity | null;
  /**
   * When the group was cancelled (UTC); required when status is CANCELLED.
   */
  cancelled_at?: Timestamp | null;
  /**
   * When the group completed (UTC); required when status is COMPLETED.
   */
  completed_at?: Timestamp | null;
  /**
   * Strategy-specific configuration, free-form JSON. ICEBERG groups carry visible_ratio, a number in (0, 1].
   */
  metadata?: {
    [k: string]: unknown;
  } | null;
}
