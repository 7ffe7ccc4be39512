import { describe, expect, it } from 'vitest';
import { placeholderSigner } from '#local/embedded.ts';

describe('the unsigned requests to the embedded DynamoDB', () => {
  const signer = placeholderSigner({ accessKeyId: 'S3RVER', region: 'us-east-1' });

  it('gives a local request the SigV4-shaped headers dynalite requires', async () => {
    // Prepare
    const request = { hostname: '127.0.0.1', headers: {} as Record<string, string> };

    // Act
    const signed = await signer.sign(request);

    // Assess
    expect(signed.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=S3RVER\/\d{8}\/us-east-1\/dynamodb\//,
    );
    expect(signed.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
  });

  it('refuses to send a request anywhere but this machine unsigned', async () => {
    // Prepare
    const request = { hostname: 'dynamodb.eu-west-1.amazonaws.com', headers: {} as Record<string, string> };

    // Act
    const signing = signer.sign(request);

    // Assess
    await expect(signing).rejects.toThrow(/dynamodb\.eu-west-1\.amazonaws\.com/);
    expect(request.headers.authorization).toBeUndefined();
  });
});
