/**
 * The configured payment providers (config.payments, from PAYMENT_PROVIDERS and SANDBOX_PAYMENTS):
 * the built-in sandbox gateway unless it is off (production without staging); Alipay when offered
 * and its app id and both keys are set (and then its seller id too). Providers hold no state of
 * their own beyond configuration, so the server and the worker each build one set.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config.ts';
import { AlipayProvider } from './alipay.provider.ts';
import type { PaymentProviders } from './provider.ts';
import { SandboxGateway } from './sandbox.gateway.ts';
import {
  emulatorMerchant,
  generateEmulatorKeys,
  loadOrCreateEmulatorKeys,
  WECHATPAY_EMULATOR_PREFIX,
  WechatpayEmulator,
} from './wechatpay.emulator.ts';
import { WechatpayProvider } from './wechatpay.provider.ts';

/** The WeChat Pay emulator behind a set of providers, where WECHATPAY_EMULATOR=on made one (app.ts mounts it). */
const emulators = new WeakMap<PaymentProviders, WechatpayEmulator>();
export const wechatpayEmulatorOf = (payments: PaymentProviders) => emulators.get(payments) ?? null;

export function createPaymentProviders({
  orm,
  config,
}: {
  orm: MikroORM;
  config: AppConfig;
}): PaymentProviders {
  const providers: PaymentProviders = {};
  if (config.payments.sandbox !== 'off')
    providers.sandbox = new SandboxGateway({
      orm,
      publicBaseUrl: config.publicBaseUrl,
      signingSecret: config.sandbox.signingSecret,
      toleranceSeconds: config.sandbox.toleranceSeconds,
    });
  const { appId, privateKey, alipayPublicKey, sellerId, gateway } = config.alipay;
  const listed = config.payments.real;
  const alipayKeys = Boolean(appId && privateKey && alipayPublicKey);
  if (listed?.includes('alipay') && !alipayKeys)
    throw new Error(
      'PAYMENT_PROVIDERS lists alipay without ALIPAY_APP_ID, ALIPAY_PRIVATE_KEY and ALIPAY_PUBLIC_KEY',
    );
  if (appId && privateKey && alipayPublicKey && (listed === null || listed.includes('alipay'))) {
    if (!sellerId) throw new Error('Alipay is configured without its seller id (ALIPAY_SELLER_ID)');
    providers.alipay = new AlipayProvider({ appId, privateKey, alipayPublicKey, sellerId, gateway });
  }
  const wechatpay = config.wechatpay;
  if (listed?.includes('wechatpay') && !wechatpay.mchid && !wechatpay.emulator)
    throw new Error('PAYMENT_PROVIDERS lists wechatpay without the WECHATPAY_* variables');
  const refundNotifyUrl = `${config.publicBaseUrl}/api/v1/payments/wechatpay/notify`;
  if (wechatpay.emulator && (listed === null || listed.includes('wechatpay'))) {
    // Development and tests: a made-up merchant and an emulator that knows its public key, on keys
    // shared by every process of a development setup (config.wechatpay.emulatorKeysDir).
    const { merchantPrivateKey, merchantPublicKey, platform, ...identity } = emulatorMerchant(
      wechatpay.emulatorKeysDir
        ? loadOrCreateEmulatorKeys(wechatpay.emulatorKeysDir)
        : generateEmulatorKeys(),
    );
    const emulator = new WechatpayEmulator({
      ...identity,
      merchantPublicKey,
      platform,
      retryScale: config.env === 'test' ? 0.001 : 1,
    });
    providers.wechatpay = new WechatpayProvider({
      ...identity,
      privateKey: merchantPrivateKey,
      platformKeys: { [emulator.publicKeyId]: emulator.publicKeyPem },
      baseUrl: `${config.publicBaseUrl}${WECHATPAY_EMULATOR_PREFIX}/`,
      refundNotifyUrl,
    });
    emulators.set(providers, emulator);
  } else if (wechatpay.mchid && (listed === null || listed.includes('wechatpay'))) {
    const { mchid, appid, merchantSerial, privateKey: key, apiV3Key } = wechatpay;
    if (!appid || !merchantSerial || !key || !apiV3Key)
      throw new Error('WeChat Pay is configured without all of its WECHATPAY_* variables');
    providers.wechatpay = new WechatpayProvider({
      mchid,
      appid,
      merchantSerial,
      privateKey: key,
      apiV3Key,
      platformKeys: wechatpay.platformKeys,
      baseUrl: wechatpay.baseUrl,
      refundNotifyUrl,
    });
  }
  return providers;
}
