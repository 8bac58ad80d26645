import { Global, Module } from '@nestjs/common';
import { DeliveryLogService } from './delivery-log.service.js';
import { MailDatabaseModule } from './mail-database.js';
import { MailTransport } from './mail-transport.service.js';

/** Mail transport and the delivery log; imported by the worker only (the api never sends mail). */
@Global()
@Module({ imports: [MailDatabaseModule], providers: [MailTransport, DeliveryLogService], exports: [MailTransport, DeliveryLogService, MailDatabaseModule] })
export class NotificationsModule {}
