import { Inject, Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { NOTIFICATION_KINDS, type NotificationKind } from '@lockwell/contracts';
import { SERVICE_CONFIG } from '@lockwell/service-kit';
import type { Config } from '../config.js';

/** A message in the three forms it is shown: subject (inbox title), plain text (inbox body, mail) and HTML mail. */
export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

// apps/notifications/templates, from src/template (tests) and dist/template (builds) alike.
const TEMPLATE_DIR = new URL('../../templates/', import.meta.url);

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const PLACEHOLDER = /\{\{([a-z_]+)\}\}/g;

/** Dates as people read them: `2026-12-04 17:00 UTC`. */
const readable = (v: unknown): string =>
  typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) ? `${v.slice(0, 10)} ${v.slice(11, 16)} UTC` : String(v);

export interface ParsedTemplate {
  subject: string;
  body: string;
}

/** A template file: `Subject: ...`, a blank line, the plain-text body with `{{name}}` placeholders. */
export function parseTemplate(source: string): ParsedTemplate {
  const match = /^Subject: (.*)\n\n([\s\S]*)$/.exec(source);
  if (!match) throw new Error('a template starts with "Subject: ..." and a blank line');
  return { subject: match[1]!, body: match[2]!.trimEnd() };
}

/** Replaces every `{{name}}` with its value (dates made readable); an unknown name becomes `-`. */
export function fill(text: string, vars: Record<string, unknown>): string {
  return text.replace(PLACEHOLDER, (_, name: string) =>
    vars[name] === undefined || vars[name] === null ? '-' : readable(vars[name]),
  );
}

/**
 * Renders notifications from the files in apps/notifications/templates (one `<kind>.txt` per kind and
 * `layout.html`), read once at start. Messages are written only from the facts a notification carries (names,
 * dates, ids), which never include a secret value or a token.
 */
@Injectable()
export class TemplateRenderer {
  private readonly templates = new Map<NotificationKind, ParsedTemplate>();
  private readonly layout: string;

  constructor(@Inject(SERVICE_CONFIG) private readonly config: Pick<Config, 'LOCKWELL_PUBLIC_URL'>) {
    for (const kind of NOTIFICATION_KINDS)
      this.templates.set(kind, parseTemplate(readFileSync(new URL(`${kind}.txt`, TEMPLATE_DIR), 'utf8')));
    this.layout = readFileSync(new URL('layout.html', TEMPLATE_DIR), 'utf8');
  }

  render(kind: NotificationKind, data: Record<string, unknown>): RenderedMessage {
    const template = this.templates.get(kind)!;
    const vars = this.variables(data);
    const subject = fill(template.subject, vars);
    const text = fill(template.body, vars).trimEnd();
    const paragraphs = text
      .split(/\n{2,}/)
      .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
      .join('\n');
    const html = this.layout.replace('{{subject}}', escapeHtml(subject)).replace('{{body}}', paragraphs);
    return { subject, text, html };
  }

  private variables(data: Record<string, unknown>): Record<string, unknown> {
    const tenant = typeof data.tenant_name === 'string' ? data.tenant_name : null;
    const publicUrl = this.config.LOCKWELL_PUBLIC_URL;
    return {
      ...data,
      secret_label:
        data.service_name !== undefined
          ? `"${String(data.service_name)}/${String(data.secret_key_name)}" (${String(data.environment)})`
          : undefined,
      where: tenant ? `the tenant ${tenant}` : 'your personal space',
      member: data.member ?? 'a user who no longer exists',
      console_link: publicUrl ? `Open Lockwell: ${publicUrl.replace(/\/$/, '')}/` : '',
    };
  }
}
