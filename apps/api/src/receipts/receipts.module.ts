import { Module } from '@nestjs/common';
import { ConversationsModule } from '../conversations/conversations.module';
import { ReceiptsController } from './receipts.controller';
import { ReceiptsGateway } from './receipts.gateway';
import { ReceiptsService } from './receipts.service';

@Module({
  imports: [ConversationsModule],
  controllers: [ReceiptsController],
  providers: [ReceiptsService, ReceiptsGateway],
  exports: [ReceiptsService],
})
export class ReceiptsModule {}
