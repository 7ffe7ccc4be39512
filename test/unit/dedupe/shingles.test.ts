import { describe, expect, it } from 'vitest';
import { shingle, tokenize } from '#shared/domain/dedupe/shingles.ts';
import { fixture } from './text-helpers.ts';

describe('shingles', () => {
  it('cuts space-separated text into case- and punctuation-insensitive word shingles', () => {
    // Prepare
    const a = 'The Minister said: "We will act now."';
    const b = 'the minister said we WILL act now';

    // Act
    const sa = shingle(a);
    const sb = shingle(b);

    // Assess
    expect(sa.mode).toBe('word');
    expect(sa.count).toBe(5);
    expect([...sa.h1]).toEqual([...sb.h1]);
  });

  it('cuts Chinese into character shingles, not one giant "word" per clause', () => {
    // Prepare
    const text = fixture('zh-xinhuanet-wuhan.txt');

    // Act
    const { tokens, mode } = tokenize(text);
    const shingles = shingle(text);

    // Assess
    expect(mode).toBe('char');
    expect(tokens.slice(0, 4)).toEqual(['妈', '妈', '为', '什']);
    expect(shingles.count).toBeGreaterThan(500);
  });

  it('keeps Thai vowel and tone marks on their consonant', () => {
    // Prepare
    const text = 'นายกรัฐมนตรีกล่าวว่า';

    // Act
    const { tokens, mode } = tokenize(text);

    // Assess
    expect(mode).toBe('char');
    expect(tokens).toContain('รั');
    expect(tokens.every((t) => !/^\p{M}/u.test(t))).toBe(true);
  });

  it('shingles Latin words inside Japanese text as words', () => {
    // Act
    const { tokens } = tokenize('東京でiPhoneを買った');

    // Assess
    expect(tokens).toEqual(['東', '京', 'で', 'iphone', 'を', '買', 'っ', 'た']);
  });
});
