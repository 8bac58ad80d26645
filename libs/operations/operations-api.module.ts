import { Module } from '@nestjs/common';
import { OperationsController } from './operations.controller.js';
import { OperationsModule } from './operations.module.js';

@Module({ imports: [OperationsModule], controllers: [OperationsController] })
export class OperationsApiModule {}
