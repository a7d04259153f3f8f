import {
  MAX_TEXT_CHECK_FINDINGS,
  MAX_TEXT_CHECK_VALUES,
  escapeUnstorableJson,
  escapeUnstorableText,
  findUnstorableText,
  isStorableText,
} from '../../src/shared/storable-text';

describe('storable text', () => {
  it.each([
    ['empty', ''],
    ['ASCII', 'Render 4K video'],
    ['other control characters', 'tab\t, bell\u0007, DEL\u007f, \u0001'],
    ['accents and other scripts', 'café 日本 עברית'],
    ['a surrogate pair (emoji)', '😀 and 𝄞'],
    ['non-characters and separators', '\uffff \ufffe \u2028 \ufeff'],
  ])('accepts %s', (_name, text) => {
    expect(isStorableText(text)).toBe(true);
    expect(escapeUnstorableText(text)).toBe(text);
  });

  it.each([
    ['a NUL', 'a\u0000b', 'a\\u0000b'],
    ['only a NUL', '\u0000', '\\u0000'],
    ['a lone high surrogate at the end', 'x\ud800', 'x\\ud800'],
    ['a lone high surrogate before another character', '\ud83dx', '\\ud83dx'],
    ['a lone low surrogate', '\udc00y', '\\udc00y'],
    ['a pair in the wrong order', '\ude00\ud83d', '\\ude00\\ud83d'],
    ['half an emoji', '😀'.slice(0, 1), '\\ud83d'],
  ])('refuses %s, and escapes it visibly', (_name, text, escaped) => {
    expect(isStorableText(text)).toBe(false);
    expect(escapeUnstorableText(text)).toBe(escaped);
    expect(isStorableText(escapeUnstorableText(text))).toBe(true);
  });

  it('finds every bad string and key of a parsed JSON value, by path, in document order', () => {
    const value = JSON.parse(
      JSON.stringify({
        description: 'a\u0000b',
        ok: 'fine 😀',
        metadata: { note: '\ud800', 'k\u0000': 'v', good: 'x' },
        items: ['x', { deep: ['\udc00'] }],
        count: 3,
        nothing: null,
      }),
    );
    expect(findUnstorableText(value)).toEqual({
      paths: ['description', 'metadata.note', 'metadata.k\\u0000', 'items.1.deep.0'],
      complete: true,
    });
    expect(findUnstorableText('a\u0000', 'accountId')).toEqual({
      paths: ['accountId'],
      complete: true,
    });
    expect(findUnstorableText('a\u0000')).toEqual({ paths: [''], complete: true });
    expect(findUnstorableText({ fine: ['a', 1, true] })).toEqual({ paths: [], complete: true });
  });

  it('is bounded: reports at most MAX_TEXT_CHECK_FINDINGS paths and looks at most MAX_TEXT_CHECK_VALUES values', () => {
    const manyBad = Array.from({ length: 100 }, () => '\u0000');
    expect(findUnstorableText(manyBad).paths).toHaveLength(MAX_TEXT_CHECK_FINDINGS);
    const huge = new Array<number>(MAX_TEXT_CHECK_VALUES).fill(0);
    expect(findUnstorableText(huge).complete).toBe(false);
  });

  it('does not overflow the stack on deep nesting', () => {
    let value: unknown = '\u0000';
    for (let depth = 0; depth < 50_000; depth++) value = [value];
    expect(findUnstorableText(value).paths).toHaveLength(1);
  });

  it('escapes every string and key of a record for a jsonb column, keeping everything else', () => {
    expect(
      escapeUnstorableJson({
        reason: 'a\u0000',
        'k\ud800': ['x', 1, null, { deep: '\udc00' }],
        ok: true,
      }),
    ).toEqual({
      reason: 'a\\u0000',
      'k\\ud800': ['x', 1, null, { deep: '\\udc00' }],
      ok: true,
    });
  });
});
