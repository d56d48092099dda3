import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface CapturedMail {
  envelopeTo: string[];
  raw: string;
  parsed: ParsedMail;
}

export interface SmtpSinkOptions {
  port?: number;
  /** Wait this long before accepting each message (a slow provider). */
  delayMs?: number;
  /** Recipients refused with 550 at RCPT TO (a permanent failure). */
  rejectRecipients?: string[];
}

/** A real SMTP server on 127.0.0.1 (smtp-server) that keeps every message it accepts. */
export class SmtpSink {
  readonly messages: CapturedMail[] = [];
  port = 0;
  private server: SMTPServer | null = null;

  constructor(private readonly options: SmtpSinkOptions = {}) {}

  async start(port = this.options.port ?? 0): Promise<number> {
    const { delayMs = 0, rejectRecipients = [] } = this.options;
    const refused = new Set(rejectRecipients.map((address) => address.toLowerCase()));
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      // close() waits this long for clients' idle pooled connections (default 30 s)
      closeTimeout: 50,
      size: 10 * 1024 * 1024,
      onRcptTo: (address: SMTPServerAddress, _session, callback) => {
        if (refused.has(address.address.toLowerCase())) {
          const error = new Error(`5.1.1 <${address.address}>: mailbox unavailable`) as Error & { responseCode: number };
          error.responseCode = 550;
          callback(error);
          return;
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const parsed = await simpleParser(raw);
          const accept = () => {
            this.messages.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw, parsed });
            callback();
          };
          if (delayMs > 0) setTimeout(accept, delayMs);
          else accept();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server as unknown as { server: { address(): AddressInfo } }).server.address().port;
    return this.port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resolves once `count` messages arrived; rejects after `timeoutMs`. */
  async waitFor(count: number, timeoutMs = 30_000): Promise<CapturedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} mails, got ${this.messages.length}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return this.messages;
  }
}

/** A free TCP port on 127.0.0.1 (for a sink that starts later than Strapi). */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
