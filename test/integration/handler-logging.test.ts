import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createStoreHandler } from '#functions/store/handler.ts';
import { writeClaimCheck } from '#shared/steps/claim-check.ts';
import { makeArticle, makeTagged } from '../support/articles.ts';
import { lambdaContext, sqsRecord } from '../support/lambda-events.ts';
import { type LocalAws, startLocalAws } from '../support/local-aws.ts';
import { testDeps } from '../support/step-deps.ts';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(async () => {
  await aws?.stop();
});

describe('handler logs', () => {
  it('carry the article id and raw key on every line of a record, and never another record’s', async () => {
    // Prepare: two records in one batch, processed concurrently; one fails (claim check missing).
    const deps = {
      ...testDeps(aws, { next: null }),
      logger: new Logger({ serviceName: 'newsflow', logLevel: 'INFO' }),
    };
    const good = makeArticle({
      id: 'log-good',
      text: 'Logged story.',
      provenance: { rawKey: 'incoming/log/good.txt' },
    });
    const missing = makeArticle({
      id: 'log-missing',
      text: 'Never written.',
      provenance: { rawKey: 'incoming/log/missing.txt' },
    });
    await writeClaimCheck(deps.blobs, good);
    const records = [
      sqsRecord(JSON.stringify(makeTagged(good))),
      sqsRecord(JSON.stringify(makeTagged(missing))),
    ];
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const errors = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });

    // Act
    try {
      await createStoreHandler(deps)({ Records: records }, lambdaContext('newsflow-store'));
    } finally {
      write.mockRestore();
      errors.mockRestore();
    }

    // Assess
    const entries = lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    const byId = (id: string) => entries.filter((e) => e.articleId === id);
    expect(byId('log-good').map((e) => e.message)).toContain('Stored');
    expect(byId('log-missing').map((e) => e.level)).toContain('ERROR');
    for (const e of entries) {
      expect(e.function_name).toBe('newsflow-store');
      const expectedKey = e.articleId === 'log-good' ? 'incoming/log/good.txt' : 'incoming/log/missing.txt';
      expect(e.rawKey).toBe(expectedKey);
    }
  });
});
