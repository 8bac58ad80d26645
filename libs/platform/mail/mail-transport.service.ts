import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { messageIdFor } from './message-id.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
  messageId?: string;
  from?: string;
  /** Where answers go when not to MAIL_FROM (a coordinator's roster message: replies reach them). */
  replyTo?: string;
  icalEvent?: { method: string; content: string; filename?: string };
}

/** A pooled nodemailer transport over SMTP_URL; the only place mail leaves the process. */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private readonly transporter: Transporter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.transporter = nodemailer.createTransport({
      url: config.SMTP_URL,
      pool: true,
      maxConnections: 10,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      // nodemailer signs each message as it streams it out; the config schema ensures all three or none.
      ...(config.DKIM_DOMAIN && config.DKIM_SELECTOR && config.DKIM_PRIVATE_KEY
        ? {
            dkim: {
              domainName: config.DKIM_DOMAIN,
              keySelector: config.DKIM_SELECTOR,
              privateKey: config.DKIM_PRIVATE_KEY,
            },
          }
        : {}),
    } as never);
  }

  /** A Message-ID like nodemailer's own (`<uuid@MAIL_FROM domain>`), for mail that does not bring a stable one. */
  newMessageId(): string {
    return messageIdFor(randomUUID(), this.config.MAIL_FROM);
  }

  async send(mail: OutgoingMail): Promise<{ messageId: string; response: string }> {
    // Quoted-printable for every text part and header, chosen up front: left to itself nodemailer
    // scans each part and header to choose between QP and base64, a large share of its CPU per mail.
    // Our mail is mostly Latin text, where QP wins.
    const info = await this.transporter.sendMail({
      from: mail.from ?? this.config.MAIL_FROM,
      textEncoding: 'quoted-printable',
      ...mail,
    });
    return { messageId: info.messageId, response: String(info.response ?? '') };
  }

  onApplicationShutdown(): void {
    this.transporter.close();
  }
}

/** SMTP 5xx replies are permanent: retrying cannot succeed. Everything else (4xx, network) is transient. */
export function isPermanentSmtpFailure(error: unknown): boolean {
  const code = (error as { responseCode?: number })?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}
