/**
 * Email's configuration: SMTP as one URL or as host, port and login; none sends email to the
 * log, which production accepts (consumers' messages are SMS; what manufacturers are emailed
 * is also in their portal) as long as a configured SMTP server has a sender address. Aliyun
 * SMS: all of its settings or none, with a template code for every SMS kind.
 */
import { describe, expect, it } from 'vitest';
import { aliyunSmsFromEnv, mailFromEnv, productionProblems } from '../../src/config.ts';

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

const ALIYUN = {
  ALIYUN_SMS_ACCESS_KEY_ID: 'LTAI5tExample',
  ALIYUN_SMS_ACCESS_KEY_SECRET: 'secret',
  ALIYUN_SMS_SIGN_NAME: '延保',
  ALIYUN_SMS_TEMPLATES: 'order_confirmed:SMS_1, order_cancelled:SMS_2, claim_update:SMS_3, lookup_code:SMS_4',
};

describe('Aliyun SMS configuration', () => {
  it('is off when nothing is set, and reads every setting when all are', () => {
    expect(aliyunSmsFromEnv({})).toBeNull();
    expect(aliyunSmsFromEnv(ALIYUN)).toEqual({
      accessKeyId: 'LTAI5tExample',
      accessKeySecret: 'secret',
      signName: '延保',
      templates: {
        order_confirmed: 'SMS_1',
        order_cancelled: 'SMS_2',
        claim_update: 'SMS_3',
        lookup_code: 'SMS_4',
      },
      endpoint: 'dysmsapi.aliyuncs.com',
      protocol: 'https',
    });
  });

  it('refuses half a configuration and names what is missing, at start and in production checks', () => {
    const partial = { ...ALIYUN, ALIYUN_SMS_SIGN_NAME: '', ALIYUN_SMS_TEMPLATES: 'order_confirmed:SMS_1' };
    expect(() => aliyunSmsFromEnv(partial)).toThrow(/ALIYUN_SMS_SIGN_NAME/);
    expect(productionProblems(partial).filter((p) => p.startsWith('ALIYUN'))).toEqual([
      'ALIYUN_SMS_SIGN_NAME must be set when Aliyun SMS is configured',
      'ALIYUN_SMS_TEMPLATES must map every SMS kind to its template code (name:SMS_…, comma-separated); missing: order_cancelled, claim_update, lookup_code',
    ]);
    expect(productionProblems(ALIYUN).filter((p) => p.startsWith('ALIYUN'))).toEqual([]);
  });
});
