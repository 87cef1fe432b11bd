import { searchTerms, SEARCH_TERMS_MAX, SEARCH_TERM_LENGTH_MAX } from '@tui-chat/protocol';

describe('searchTerms', () => {
  test('lower-cases and splits on everything but letters, digits and _', () => {
    expect(searchTerms('Lunch, at NOON? foo_bar-baz 42')).toEqual(['lunch', 'at', 'noon', 'foo_bar', 'baz', '42']);
  });

  test('index syntax is only separators: quotes, stars, NEAR(, OR, ^, :, - give plain words', () => {
    expect(searchTerms('"lunch"* NEAR(a b) OR ^x body:y -z & !w | (v)')).toEqual(['lunch', 'near', 'a', 'b', 'or', 'x', 'body', 'y']);
  });

  test('NFKC: full-width letters and ligatures become plain ones, composed accents stay', () => {
    expect(searchTerms('ＬＵＮＣＨ ﬁsh cafe\u0301')).toEqual(['lunch', 'fish', 'café']);
  });

  test('keeps combining marks inside a word, and words of any script', () => {
    expect(searchTerms('हिन्दी 東京 Привет')).toEqual(['हिन्दी', '東京', 'привет']);
  });

  test('repeats count once; runs without a letter or digit are not words', () => {
    expect(searchTerms('a A a _ __ ... 🙂')).toEqual(['a']);
    expect(searchTerms('   ')).toEqual([]);
  });

  test('keeps the first SEARCH_TERMS_MAX words, each cut to SEARCH_TERM_LENGTH_MAX characters', () => {
    const words = Array.from({ length: SEARCH_TERMS_MAX + 3 }, (_, i) => `w${i}`);
    expect(searchTerms(words.join(' '))).toEqual(words.slice(0, SEARCH_TERMS_MAX));
    const long = 'é'.repeat(SEARCH_TERM_LENGTH_MAX + 10);
    expect(searchTerms(long)).toEqual(['é'.repeat(SEARCH_TERM_LENGTH_MAX)]);
  });
});
