/** Email through an SMTP server with nodemailer. */
import nodemailer from 'nodemailer';
import type { MailConfig } from '../config.ts';
import { type NotificationSink, PermanentDeliveryError } from './notifier.ts';

export interface SmtpSink extends NotificationSink {
  /** Closes the transport's idle connections. */
  close(): void;
}

export function smtpSink(mail: MailConfig & { smtpUrl: string }): SmtpSink {
  const transport = nodemailer.createTransport({
    url: mail.smtpUrl,
    // Well under the outbox's two-minute claim lease, so a hung server fails the attempt instead.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  // Message-IDs under the sender's domain, derived from the outbox row: a resend is the same message.
  const domain = /@([^\s<>@]+)>?\s*$/.exec(mail.from)?.[1] ?? 'yanbao.invalid';
  return {
    async send(message) {
      try {
        const info = await transport.sendMail({
          from: mail.from,
          to: message.recipient,
          subject: message.subject,
          text: message.body,
          messageId: `<${message.id}@${domain}>`,
          attachments: message.attachments.map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            content: Buffer.from(a.content),
          })),
        });
        return { provider: 'smtp', providerMessageId: info.messageId };
      } catch (err) {
        throw permanentOrNot(err);
      }
    },
    close() {
      transport.close();
    },
  };
}

/**
 * A 5xx answer to this message (no such mailbox, refused content) stays the same on every
 * attempt; a refused login is the server's configuration and is retried like a connection error.
 */
function permanentOrNot(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const responseCode = 'responseCode' in err && typeof err.responseCode === 'number' ? err.responseCode : 0;
  const code = 'code' in err ? err.code : undefined;
  if (responseCode >= 500 && code !== 'EAUTH')
    return new PermanentDeliveryError(`SMTP ${responseCode}: ${err.message}`, { cause: err });
  return err;
}
