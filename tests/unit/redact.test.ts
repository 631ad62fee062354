import { describe, expect, it } from 'vitest';
import { redact, registerSecret } from '../../src/redact.js';

describe('redact', () => {
  it('hides registered secrets and credential assignments', () => {
    registerSecret('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    expect(redact('key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY!')).toBe('key ***!');
    expect(redact("create secret (type s3, secret 'abc123', key_id 'AKX1')")).toBe("create secret (type s3, secret '***', key_id '***')");
    expect(redact('id AKIAIOSFODNN7EXAMPLE here')).toBe('id *** here');
    expect(redact('https://h/b/k?X-Amz-Signature=deadbeef&x=1')).toBe('https://h/b/k?X-Amz-Signature=***&x=1');
    expect(redact('Authorization: AWS4-HMAC-SHA256 Credential=AK/2026')).not.toContain('Credential=AK');
  });
});
