import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** Header lines and the parts, quoted-printable soft breaks and escapes undone (enough to read). */
  text: string;
  subject: string;
}

/** A real SMTP server (the smtp-server package) on 127.0.0.1 that keeps what it is sent. */
export class SmtpInbox {
  private constructor(
    private readonly server: SMTPServer,
    readonly mails: ReceivedMail[],
  ) {}

  static async start(): Promise<SmtpInbox> {
    const received: ReceivedMail[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const text = decodeQuotedPrintable(raw);
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw,
            text,
            subject: /^Subject: (.*)$/m.exec(raw)?.[1] ?? '',
          });
          callback();
        });
      },
    });
    const inbox = new SmtpInbox(server, received);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return inbox;
  }

  get url(): string {
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  about(subjectPart: string): ReceivedMail[] {
    return this.mails.filter((mail) => mail.subject.includes(subjectPart));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function decodeQuotedPrintable(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
