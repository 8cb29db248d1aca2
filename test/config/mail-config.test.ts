/**
 * Email's configuration: SMTP as one URL or as host, port and login; none sends email to the
 * log, which production accepts (consumers' messages are SMS; what manufacturers are emailed
 * is also in their portal) as long as a configured SMTP server has a sender address.
 */
import { describe, expect, it } from 'vitest';
import { mailFromEnv, productionProblems } from '../../src/config.ts';

const mailProblems = (env: Record<string, string>) =>
  productionProblems(env).filter((p) => /SMTP|MAIL_FROM/.test(p));

describe('mail configuration', () => {
  it('takes an smtp:// or smtps:// URL as given', () => {
    expect(
      mailFromEnv({ SMTP_URL: 'smtps://user:pass@smtp.example.com', MAIL_FROM: '延保 <a@b.example>' }),
    ).toEqual({
      smtpUrl: 'smtps://user:pass@smtp.example.com',
      from: '延保 <a@b.example>',
    });
    expect(() => mailFromEnv({ SMTP_URL: 'http://smtp.example.com' })).toThrow(/SMTP_URL/);
  });

  it('builds the URL from host, port and login, TLS from the start on 465 and the login escaped', () => {
    expect(mailFromEnv({ SMTP_HOST: 'smtp.example.com' }).smtpUrl).toBe('smtp://smtp.example.com:587');
    expect(
      mailFromEnv({
        SMTP_HOST: 'smtp.example.com',
        SMTP_PORT: '465',
        SMTP_USER: 'ops@x.cn',
        SMTP_PASS: 'p:w@/d',
      }).smtpUrl,
    ).toBe('smtps://ops%40x.cn:p%3Aw%40%2Fd@smtp.example.com:465');
    expect(() => mailFromEnv({ SMTP_HOST: 'smtp.example.com', SMTP_PORT: '99999' })).toThrow(/SMTP_PORT/);
  });

  it('sends email to the log when no SMTP server is set', () => {
    expect(mailFromEnv({}).smtpUrl).toBeNull();
  });

  it('lets production run without SMTP, but not with SMTP and no sender address', () => {
    expect(mailProblems({})).toEqual([]);
    expect(mailProblems({ SMTP_HOST: 'smtp.example.com' })).toEqual([
      'MAIL_FROM must be set to the sender address when SMTP is configured',
    ]);
    expect(mailProblems({ SMTP_URL: 'smtp://smtp.example.com', MAIL_FROM: 'a@b.example' })).toEqual([]);
    expect(mailProblems({ SMTP_URL: 'mailto:x', MAIL_FROM: 'a@b.example' })).toEqual([
      'SMTP_URL must be an smtp:// or smtps:// URL',
    ]);
  });
});
