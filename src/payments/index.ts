/**
 * The configured payment providers: always the built-in sandbox gateway;
 * Alipay when its app id and both keys are set (and then its seller id too). Providers hold no state of
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
  const providers: PaymentProviders = {
    sandbox: new SandboxGateway({
      orm,
      publicBaseUrl: config.publicBaseUrl,
      signingSecret: config.sandbox.signingSecret,
      toleranceSeconds: config.sandbox.toleranceSeconds,
    }),
  };
  const { appId, privateKey, alipayPublicKey, sellerId, gateway } = config.alipay;
  if (appId && privateKey && alipayPublicKey) {
    if (!sellerId) throw new Error('Alipay is configured without its seller id (ALIPAY_SELLER_ID)');
    providers.alipay = new AlipayProvider({ appId, privateKey, alipayPublicKey, sellerId, gateway });
  }
  return providers;
}
