import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { SERVICE_CONFIG } from '@lockwell/service-kit';
import type { Config } from '../config.js';
import type { EmailContent } from './delivery.js';

function withTimeouts(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  for (const [k, v] of [
    ['connectionTimeout', '10000'],
    ['greetingTimeout', '10000'],
    ['socketTimeout', '20000'],
  ])
    if (!url.searchParams.has(k!)) url.searchParams.set(k!, v!);
  return url.toString();
}

/**
 * Sends mail over SMTP with nodemailer (SMTP_URL). Without SMTP_URL there is no email channel: nothing is
 * queued for it. The From is LOCKWELL_MAIL_FROM; each message says which kind and tenant it is about in headers.
 */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly transport: Transporter | null;
  private readonly from: string;

  constructor(@Inject(SERVICE_CONFIG) config: Pick<Config, 'SMTP_URL' | 'LOCKWELL_MAIL_FROM'>) {
    // Short timeouts: a hung SMTP server fails the attempt, which is retried with backoff, never blocks the worker.
    // (nodemailer reads transport options from the URL's query; the operator's own query values win.)
    this.transport = config.SMTP_URL ? createTransport(withTimeouts(config.SMTP_URL)) : null;
    this.from = config.LOCKWELL_MAIL_FROM;
  }

  get enabled(): boolean {
    return this.transport !== null;
  }

  async send(mail: EmailContent, kind: string): Promise<void> {
    if (!this.transport) throw new Error('no SMTP_URL configured');
    await this.transport.sendMail({
      from: this.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      headers: { 'X-Lockwell-Kind': kind, ...(mail.tenant_id ? { 'X-Lockwell-Tenant-Id': mail.tenant_id } : {}) },
    });
  }

  onApplicationShutdown() {
    this.transport?.close();
  }
}
