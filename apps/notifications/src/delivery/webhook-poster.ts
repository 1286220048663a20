import { Inject, Injectable } from '@nestjs/common';
import { WEBHOOK_SIGNATURE_HEADER } from '@lockwell/contracts';
import { SERVICE_CONFIG } from '@lockwell/service-kit';
import type { Config } from '../config.js';

export interface PostResult {
  ok: boolean;
  status: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * POSTs one signed webhook body. Redirects are not followed (a redirect to an internal address would bypass the
 * URL guard) and count as failures; the response body is never read beyond its status.
 */
@Injectable()
export class WebhookPoster {
  private readonly timeoutMs: number;

  constructor(@Inject(SERVICE_CONFIG) config: Pick<Config, 'LOCKWELL_WEBHOOK_TIMEOUT_MS'>) {
    this.timeoutMs = config.LOCKWELL_WEBHOOK_TIMEOUT_MS;
  }

  async post(url: string, body: string, signature: string, eventId: string): Promise<PostResult> {
    const started = performance.now();
    const duration = () => Math.round(performance.now() - started);
    try {
      const res = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Lockwell-Webhook/1',
          [WEBHOOK_SIGNATURE_HEADER]: signature,
          'Lockwell-Event-Id': eventId,
        },
        body,
      });
      await res.body?.cancel();
      const ok = res.status >= 200 && res.status < 300;
      return { ok, status: res.status, error: ok ? null : `HTTP ${res.status}`, durationMs: duration() };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      return {
        ok: false,
        status: null,
        error: e.name === 'TimeoutError' ? 'timeout' : (e.cause?.code ?? 'connection failed'),
        durationMs: duration(),
      };
    }
  }
}
