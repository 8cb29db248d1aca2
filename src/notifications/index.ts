/** The notifier a process runs with, from its configuration. */
import type { AppConfig } from '../config.ts';
import { aliyunSmsSink } from './aliyun-sms.sink.ts';
import { channelSinks, createNotifier, logSink, type Notifier } from './notifier.ts';
import { smtpSink } from './smtp.sink.ts';

/**
 * Email through SMTP when SMTP_URL or SMTP_HOST is set, SMS through Aliyun when ALIYUN_SMS_* is
 * set; each to the log otherwise (development and test).
 */
export function configuredNotifier(
  config: AppConfig,
  log: (line: string) => void,
): { notifier: Notifier; close(): void } {
  const logged = logSink(log);
  const { smtpUrl } = config.mail;
  if (config.env === 'production') {
    if (!smtpUrl) log('SMTP is not configured (SMTP_URL or SMTP_HOST): email goes to the log');
    if (!config.aliyunSms) log('SMS is not configured (ALIYUN_SMS_*): SMS goes to the log');
  }
  const smtp = smtpUrl ? smtpSink({ ...config.mail, smtpUrl }) : null;
  const sms = config.aliyunSms ? aliyunSmsSink(config.aliyunSms) : logged;
  return {
    notifier: createNotifier(channelSinks({ email: smtp ?? logged, sms }), config),
    close: () => smtp?.close(),
  };
}
