import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deadLetterRecords } from '#shared/steps/dead-letter.ts';
import { makeArticle, makeTagged } from '../support/articles.ts';

const at = '2025-01-30T10:00:00.000Z';

describe('deadLetterRecords', () => {
  it('names the raw object of a dead-lettered S3 event and keeps the message for replay', () => {
    const body = readFileSync(new URL('../fixtures/events/s3-put-encoded-key.json', import.meta.url), 'utf8');
    const [record, ...rest] = deadLetterRecords('normalize', body, 'DependencyError: S3 timed out', at);
    expect(rest).toEqual([]);
    expect(record).toEqual({
      rawKey: 'incoming/example/World News/café “la une” 1+1.html',
      line: 0,
      articleId: null,
      outcome: 'failed',
      reason: 'dead-lettered in normalize: DependencyError: S3 timed out',
      step: 'normalize',
      at,
      sequencer: '0062E99A88DC407460',
      replayMessage: body,
    });
  });

  it('names the raw key and line of a dead-lettered article message', () => {
    const article = makeArticle({ provenance: { rawKey: 'incoming/x/batch.jsonl', line: 12 } });
    const body = JSON.stringify(makeTagged(article));
    expect(deadLetterRecords('store', body, 'boom', at)).toMatchObject([
      {
        rawKey: 'incoming/x/batch.jsonl',
        line: 12,
        articleId: article.id,
        step: 'store',
        replayMessage: body,
      },
    ]);
  });

  it('still records a message it cannot read, quoting it', () => {
    expect(deadLetterRecords('tag', 'garbage', 'InvalidMessageError', at)).toMatchObject([
      { rawKey: '(unreadable message)', reason: expect.stringContaining('garbage') },
    ]);
  });
});
