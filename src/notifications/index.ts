/** The notifier a process runs with, from its configuration. */
import type { AppConfig } from '../config.ts';
import { channelSinks, createNotifier, logSink, type Notifier } from './notifier.ts';
import { smtpSink } from './smtp.sink.ts';

/**
 * Email through SMTP when SMTP_URL or SMTP_HOST is set, to the log otherwise (development and
 * test); SMS to the log until an SMS provider is configured.
 */
export function configuredNotifier(
  config: AppConfig,
  log: (line: string) => void,
): { notifier: Notifier; close(): void } {
  const logged = logSink(log);
  const { smtpUrl } = config.mail;
  if (!smtpUrl) {
    if (config.env === 'production')
      log('SMTP is not configured (SMTP_URL or SMTP_HOST): email goes to the log');
    return { notifier: createNotifier(logged, config), close() {} };
  }
  const smtp = smtpSink({ ...config.mail, smtpUrl });
  return {
    notifier: createNotifier(channelSinks({ email: smtp, sms: logged }), config),
    close: () => smtp.close(),
  };
}
