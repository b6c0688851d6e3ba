import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MembershipModule } from '../conversations/membership.module';
import { MessagesModule } from '../messages/messages.module';
import { DeliveryReceiptEntity } from './delivery-receipt.entity';
import { ReadReceiptEntity } from './read-receipt.entity';
import { ReceiptsController } from './receipts.controller';
import { ReceiptsFanout } from './receipts.fanout';
import { ReceiptsGateway } from './receipts.gateway';
import { ReceiptsRepository } from './receipts.repository';
import { ReceiptsService } from './receipts.service';

/** Owns `read_receipts` and `delivery_receipts`: the watermark actions behind the ticks. */
@Module({
  imports: [
    TypeOrmModule.forFeature([ReadReceiptEntity, DeliveryReceiptEntity]),
    MembershipModule,
    MessagesModule,
  ],
  controllers: [ReceiptsController],
  providers: [ReceiptsRepository, ReceiptsService, ReceiptsGateway, ReceiptsFanout],
  exports: [ReceiptsService],
})
export class ReceiptsModule {}
