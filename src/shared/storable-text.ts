/**
 * The one rule for text from outside (request bodies, query strings, path parameters, Stripe
 * events): any Unicode text except U+0000 (NUL) and unpaired UTF-16 surrogates.
 *
 * - PostgreSQL `text` cannot hold NUL, and `jsonb` refuses `\u0000` ("unsupported Unicode escape
 *   sequence"): a description with a NUL failed its append, and every other append that shared
 *   the batch statement with it (issue 11).
 * - An unpaired surrogate is not a character. `jsonb` refuses its `\ud800` escape, and UTF-8 cannot
 *   encode it: node-postgres would send U+FFFD instead, silently storing another string.
 * Everything else (other control characters, any script, emoji as surrogate pairs) is accepted.
 */

// Without the `u` flag the pattern sees UTF-16 code units, which is what makes a surrogate visible.
// One test per string, no backtracking: cheap enough for the spend fast path.
const UNSTORABLE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

export const UNSTORABLE_TEXT_MESSAGE =
  'must not contain NUL (U+0000) or unpaired surrogate characters';

export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/**
 * The text with every NUL and unpaired surrogate written as a `\uXXXX` escape: storable and
 * printable, and still shows what was there (for field names in errors, audit rows, logs).
 */
export function escapeUnstorableText(text: string): string {
  return isStorableText(text)
    ? text
    : text.replace(
        UNSTORABLE_ALL,
        (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`,
      );
}

/** Beyond this depth escapeUnstorableJson gives up on a value (null): it is for small records this service builds. */
const MAX_ESCAPE_DEPTH = 16;

/** A JSON-like value with escapeUnstorableText applied to every string and key, for a jsonb column. */
export function escapeUnstorableJson(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return escapeUnstorableText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_ESCAPE_DEPTH) return null;
  if (Array.isArray(value)) return value.map((item) => escapeUnstorableJson(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      escapeUnstorableText(key),
      escapeUnstorableJson(item, depth + 1),
    ]),
  );
}

/** At most this many strings and keys are looked at in one value; a JSON body within the body limit has far fewer. */
export const MAX_TEXT_CHECK_VALUES = 100_000;
/** At most this many paths are reported. */
export const MAX_TEXT_CHECK_FINDINGS = 20;

export interface UnstorableTextFindings {
  /** Dot-separated paths (`metadata.note`, `data.object.id`, `items.0`) of the strings and keys that break the rule, escaped. `root` itself for a bad string at the top. */
  paths: string[];
  /** False when the value was too large to look at whole (over MAX_TEXT_CHECK_VALUES): treat it as refused. */
  complete: boolean;
}

/**
 * Every string and object key anywhere in a value (parsed JSON) that breaks the rule. Iterative,
 * so nesting depth cannot overflow the stack, and bounded by MAX_TEXT_CHECK_VALUES.
 */
export function findUnstorableText(value: unknown, root = ''): UnstorableTextFindings {
  const paths: string[] = [];
  const pending: Array<[path: string, value: unknown]> = [[root, value]];
  let visited = 0;
  while (pending.length > 0 && paths.length < MAX_TEXT_CHECK_FINDINGS) {
    const [path, current] = pending.pop()!;
    if (++visited > MAX_TEXT_CHECK_VALUES) return { paths, complete: false };
    if (current === UNSTORABLE_KEY) {
      paths.push(path);
      continue;
    }
    if (typeof current === 'string') {
      if (!isStorableText(current)) paths.push(path);
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    const keys = Object.keys(current);
    // Pushed in reverse so that paths come out in document order.
    for (let index = keys.length - 1; index >= 0; index--) {
      const key = keys[index];
      pending.push([
        join(path, escapeUnstorableText(key)),
        isStorableText(key) ? (current as Record<string, unknown>)[key] : UNSTORABLE_KEY,
      ]);
    }
  }
  return { paths, complete: true };
}

/** Stands for a key that breaks the rule: reported itself, its value not looked at. */
const UNSTORABLE_KEY = Symbol('unstorable key');

function join(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}
