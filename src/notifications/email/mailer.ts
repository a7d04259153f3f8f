import { createTransport, type Transporter } from 'nodemailer';
import type { RenderedEmail } from './email-templates';

/** Bounded SMTP timeouts: a stuck server costs one attempt, retried later, never a hung worker. */
const SMTP_TIMEOUT_MS = 15_000;

/** Sends through the SMTP server of SMTP_URL with nodemailer. */
export class Mailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = createTransport({
      url: smtpUrl,
      connectionTimeout: SMTP_TIMEOUT_MS,
      greetingTimeout: SMTP_TIMEOUT_MS,
      socketTimeout: SMTP_TIMEOUT_MS,
    });
  }

  async send(to: string, email: RenderedEmail, messageId: string): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      // The outbox id: a receiving system can tell a repeat (sent again after a crash) apart.
      headers: { 'X-Notification-Id': messageId },
    });
  }

  close(): void {
    this.transport.close();
  }
}
