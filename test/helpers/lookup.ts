/** One-time lookup codes as the consumer receives them: delivered just after the response that asked. */
import { vi } from 'vitest';
import type { Harness } from './harness.ts';

/** How many messages the notifier has delivered to this phone (E.164) so far. */
export const messagesTo = (h: Harness, phone: string) =>
  h.delivered.filter((m) => m.recipient === phone).length;

/** The code in the next message to the phone after `before` earlier ones, once it has been delivered. */
export function nextCode(h: Harness, phone: string, before: number): Promise<string> {
  return vi.waitFor(
    () => {
      const sms = h.delivered.filter((m) => m.recipient === phone)[before];
      const code = sms?.body.match(/\d{6}/)?.[0];
      if (!code) throw new Error(`no code delivered to ${phone} yet`);
      return code;
    },
    { timeout: 5000, interval: 20 },
  );
}
