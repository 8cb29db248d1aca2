/** Alipay's settings: the seller id (merchant PID) is required as soon as Alipay is configured. */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';

const NAMES = ['ALIPAY_APP_ID', 'ALIPAY_PRIVATE_KEY', 'ALIPAY_PUBLIC_KEY', 'ALIPAY_SELLER_ID'] as const;
const saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));

describe('Alipay configuration', () => {
  afterEach(() => {
    for (const name of NAMES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('leaves Alipay off without keys, and needs no seller id then', () => {
    for (const name of NAMES) delete process.env[name];
    expect(loadConfig().alipay).toMatchObject({ appId: null, sellerId: null });
  });

  it('refuses to start with an Alipay key but no valid seller id', () => {
    for (const name of NAMES) delete process.env[name];
    process.env.ALIPAY_APP_ID = '2021000000000001';
    expect(() => loadConfig()).toThrow(/ALIPAY_SELLER_ID/);
    process.env.ALIPAY_SELLER_ID = '2021000000000001';
    expect(() => loadConfig()).toThrow(/ALIPAY_SELLER_ID/);
    process.env.ALIPAY_SELLER_ID = '2088102177001234';
    expect(loadConfig().alipay).toMatchObject({ appId: '2021000000000001', sellerId: '2088102177001234' });
  });
});
