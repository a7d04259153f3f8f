import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The emails (PRODUCT.md §5). Each is two files in templates/: `<name>.txt` and `<name>.html`. */
export const EMAIL_TEMPLATE_NAMES = [
  'purchase-receipt',
  'welcome',
  'low-balance',
  'credits-expiring',
  'subscription-renewed',
  'subscription-canceled',
  'auto-top-up-failed',
] as const;
export type EmailTemplateName = (typeof EMAIL_TEMPLATE_NAMES)[number];

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

interface Template {
  subject: string;
  text: string;
  html: string;
}

/**
 * The template files, read once (they ship beside the compiled code: the build copies
 * `templates/` into dist). The text file's first line is `Subject: …`, then a blank line, then the
 * body. `{{field}}` is replaced by the value (HTML-escaped in the HTML part); `productName` is
 * always there (EMAIL_PRODUCT_NAME).
 */
export class EmailTemplates {
  private readonly templates = new Map<EmailTemplateName, Template>();

  constructor(
    private readonly productName: string,
    directory: string = join(__dirname, 'templates'),
  ) {
    for (const name of EMAIL_TEMPLATE_NAMES) {
      const text = readFileSync(join(directory, `${name}.txt`), 'utf8');
      const html = readFileSync(join(directory, `${name}.html`), 'utf8');
      const match = /^Subject: (.*)\r?\n\r?\n([\s\S]*)$/.exec(text);
      if (!match)
        throw new Error(`email template ${name}.txt must start with "Subject: …" and a blank line`);
      this.templates.set(name, { subject: match[1], text: match[2], html });
    }
  }

  render(name: EmailTemplateName, data: Record<string, unknown>): RenderedEmail {
    const template = this.templates.get(name);
    if (!template) throw new Error(`no email template ${name}`);
    const values: Record<string, unknown> = { productName: this.productName, ...data };
    return {
      subject: fill(template.subject, values, String),
      text: fill(template.text, values, String),
      html: fill(template.html, values, escapeHtml),
    };
  }
}

function fill(
  template: string,
  values: Record<string, unknown>,
  encode: (value: string) => string,
): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_, field: string) =>
    encode(asText(values[field])),
  );
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (char) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );
}
