/**
 * Typed errors. Every failure on bad input is a `ConicfitError` with a stable `code`, so callers
 * (and the command line) can tell "not an image" from "options out of range" without parsing
 * messages. Messages say what was wrong and, for options, what is allowed.
 */
export type ConicfitErrorCode =
  | 'NOT_AN_IMAGE' // bytes are not a recognised image format
  | 'TRUNCATED' // a recognised format, but the data ends early or is corrupt
  | 'EMPTY_IMAGE' // zero width or height
  | 'TOO_MANY_PIXELS' // width × height exceeds options.maxPixels
  | 'BAD_OPTION' // an option is of the wrong type or out of range
  | 'BAD_INPUT' // the input value itself is of the wrong shape (not a path, bytes or raw bitmap)
  | 'FILE_NOT_FOUND' // a path that cannot be read
  | 'BAD_MODEL' // JSON that does not describe a conicfit result
  | 'FONT_ROUNDING' // integer font units would move points farther than the tolerance (too few units per em)
  | 'BAD_SPECIMEN'; // a specimen sheet whose glyphs cannot be matched to the characters given

export class ConicfitError extends Error {
  readonly code: ConicfitErrorCode;
  constructor(code: ConicfitErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConicfitError';
    this.code = code;
  }
}

export function isConicfitError(e: unknown): e is ConicfitError {
  return e instanceof ConicfitError;
}

/**
 * The BAD_OPTION error for an option out of range: `<where>: option <name> must be <allowed>, got <value>`.
 *
 * @example throw badOption('toSvg', 'precision', 11, 'an integer 0..10')
 */
export function badOption(where: string, name: string, value: unknown, allowed: string): ConicfitError {
  return new ConicfitError('BAD_OPTION', `${where}: option ${name} must be ${allowed}, got ${describeValue(value)}`);
}

/**
 * A short, safe description of any value for an error message: never throws (String() does on
 * null-prototype objects, JSON.stringify on BigInt, template literals on Symbols).
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
    case 'bigint':
      return `${value.toString()}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return 'a function';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? 'an array' : 'an object';
    default:
      return String(value);
  }
}

/**
 * Throws BAD_OPTION when `options` has a key not in `known`, naming it and listing the known ones,
 * so a typo in an option name (`{ colour: true }`) is an error rather than silently ignored. Keys
 * whose value is undefined count as given: `{ tolernce: undefined }` is still a typo.
 */
export function checkKnownKeys(options: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new ConicfitError('BAD_OPTION', `${where}: unknown option ${describeValue(key)}; known options: ${known.join(', ')}`);
    }
  }
}

/**
 * An options interface's key list, checked by the compiler to name every key of `T` (a key added
 * to the interface but not to the list is a type error), for `checkKnownKeys`.
 *
 * @example const CORNER_OPTION_KEYS = optionKeys<CornerOptions>()(['dMin', 'dMax', 'alphaMax', 'smoothing']);
 */
export function optionKeys<T>() {
  return <const K extends readonly (keyof T & string)[]>(
    keys: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : { missingKeys: Exclude<keyof T, K[number]> }),
  ): K => keys;
}
