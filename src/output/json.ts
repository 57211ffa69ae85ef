/**
 * JSON serialisation of a `TraceResult` (docs/design.md §7.1): the whole model — contours (chain codes and
 * points as plain arrays), corners, knots, pieces with their exact parameters — plus the report.
 * Pure functions; `fromJson(toJson(r))` gives back the same model. Timings are diagnostics that
 * differ run to run, so they are left out unless asked for (same input, options, seed → same bytes).
 */
import { checkKnownKeys, ConicfitError, describeValue, optionKeys } from '../errors.js';
import type { TraceResult } from '../model.js';
import type { Contour } from '../types.js';

export interface JsonOptions {
  /** Include `report.timings` (then the output is no longer byte-identical across runs). Default false. */
  timings?: boolean;
  /** Indentation passed to JSON.stringify. Default 0 (compact). */
  indent?: number;
}

export const JSON_FORMAT = 'conicfit/1';

/** @example fs.writeFileSync('glyph.json', toJson(await traceImage('glyph.png'))) */
export function toJson(result: TraceResult, options: JsonOptions = {}): string {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConicfitError('BAD_OPTION', `toJson: options must be an object, got ${describeValue(options)}`);
  }
  checkKnownKeys(options, optionKeys<JsonOptions>()(['timings', 'indent']), 'toJson');
  const report = options.timings ? result.report : { ...result.report, timings: {} };
  const plain = {
    format: JSON_FORMAT,
    ...result,
    contours: result.contours.map((c) => ({ ...c, chain: Array.from(c.chain), points: Array.from(c.points) })),
    report,
  };
  return JSON.stringify(
    plain,
    (_key, value) => {
      if (typeof value === 'number' && !Number.isFinite(value)) {
        throw new ConicfitError('BAD_MODEL', `the model holds a non-finite number (${value}); refusing to write invalid JSON`);
      }
      if (typeof value === 'bigint') {
        // JSON.stringify would throw a bare TypeError ("Do not know how to serialize a BigInt").
        throw new ConicfitError('BAD_MODEL', `the model holds a BigInt (${value}n) at "${_key}"; JSON has no such number`);
      }
      return value;
    },
    options.indent ?? 0,
  );
}

/** Parses `toJson` output back into a `TraceResult` (typed arrays restored). */
export function fromJson(text: string): TraceResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ConicfitError('BAD_MODEL', `not JSON: ${(e as Error).message}`, { cause: e });
  }
  const d = data as Record<string, unknown>;
  if (typeof d !== 'object' || d === null || d.format !== JSON_FORMAT || !Array.isArray(d.contours) || !Array.isArray(d.fits)) {
    throw new ConicfitError('BAD_MODEL', `not a conicfit result (expected format "${JSON_FORMAT}" with contours and fits)`);
  }
  const { format: _format, ...rest } = d;
  const contours = (d.contours as Array<Record<string, unknown>>).map(
    (c) => ({ ...c, chain: Uint8Array.from(c.chain as number[]), points: Float64Array.from(c.points as number[]) }) as unknown as Contour,
  );
  const result = { ...(rest as unknown as TraceResult), contours };
  // Files written before the report had these fields read back with their neutral values.
  if (result.report && typeof result.report === 'object') {
    result.report.warnings ??= [];
    result.report.subpixelFallbacks ??= 0;
    result.report.edgeBlur ??= 0;
    if (result.report.levels && typeof result.report.levels === 'object') result.report.levels.tones ??= [];
  }
  return result;
}
