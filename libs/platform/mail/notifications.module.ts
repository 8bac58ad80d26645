import { Global, Module } from '@nestjs/common';
import { DeliveryLogService } from './delivery-log.service.js';
import { MailDatabaseModule } from './mail-database.js';
import { MailSweeper } from './mail-sweeper.service.js';
import { MailTransport } from './mail-transport.service.js';

/** Mail transport, the delivery log and its sweeper; imported by the worker only (the api never sends mail). */
@Global()
@Module({
  imports: [MailDatabaseModule],
  providers: [MailTransport, DeliveryLogService, MailSweeper],
  exports: [MailTransport, DeliveryLogService, MailDatabaseModule],
})
export class NotificationsModule {}
