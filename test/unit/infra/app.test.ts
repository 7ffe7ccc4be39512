import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stageConfig } from '#infra/stage.ts';
import { type Synthesized, synthNewsflow } from './synth.ts';

describe('cdk-nag AwsSolutionsChecks', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    // Act: synthesize with the nag plugin registered as in `cdk synth`;
    // a finding would make synthesis throw here.
    synthesized = synthNewsflow();
  });
  afterAll(() => synthesized.cleanup());

  it('finds nothing unacknowledged in either stack', () => {
    const report = new AwsSolutionsChecks().validateScope(synthesized.app);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });

  it('gives every acknowledgement a reason', () => {
    const acknowledgements = synthesized.app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules'))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledgements) {
      expect(reason.length, id).toBeGreaterThan(40);
    }
  });
});

describe('stage from context', () => {
  it('accepts dev and prod and derives the names from the stage', () => {
    expect(stageConfig('dev')).toMatchObject({
      stage: 'dev',
      isProd: false,
      names: { prefix: 'newsflow-dev' },
    });
    expect(stageConfig('prod', 'ops@example.com')).toMatchObject({
      isProd: true,
      alarmEmail: 'ops@example.com',
    });
  });

  it('rejects a missing stage or a malformed e-mail with the fix in the message', () => {
    expect(() => stageConfig(undefined)).toThrow(/-c stage=dev/);
    expect(() => stageConfig('Prod')).toThrow(/Invalid stage "Prod"/);
    expect(() => stageConfig('dev', 'not-an-address')).toThrow(/-c alarmEmail=/);
  });
});
