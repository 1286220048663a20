import { Injectable } from '@nestjs/common';
import type { DeliveryRow, EmailContent } from './delivery.js';
import { Mailer } from './mailer.js';

export type AttemptOutcome = { ok: true } | { ok: false; error: string; final: boolean };

/** One attempt of an email delivery; SMTP errors are retried by the worker (the message is sent once it goes through). */
@Injectable()
export class EmailDelivery {
  constructor(private readonly mailer: Mailer) {}

  async attempt(d: DeliveryRow): Promise<AttemptOutcome> {
    try {
      await this.mailer.send(d.content as EmailContent, d.kind);
      return { ok: true };
    } catch (err) {
      const e = err as Error & { code?: string; responseCode?: number };
      // 5xx from the server about this message (bad address): retrying will not help.
      const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode !== 535;
      return {
        ok: false,
        error: e.code ?? (e.responseCode ? `SMTP ${e.responseCode}` : 'SMTP error'),
        final: permanent,
      };
    }
  }
}
