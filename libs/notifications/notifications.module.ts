import { Global, Module } from '@nestjs/common';
import { DeliveryLogService } from './delivery-log.service.js';
import { MailTransport } from './mail-transport.service.js';

/** Mail transport and the delivery log; imported by the worker only (the api never sends mail). */
@Global()
@Module({ providers: [MailTransport, DeliveryLogService], exports: [MailTransport, DeliveryLogService] })
export class NotificationsModule {}
