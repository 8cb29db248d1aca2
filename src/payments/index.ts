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
  return providers;
}
