import { Module } from '@nestjs/common';
import { MembershipModule } from '../conversations/membership.module';
import { MessagesModule } from '../messages/messages.module';
import { SearchController } from './search.controller';
import { SearchService } from './search.service';

/** Message search; owns no table (the index lives on `messages`, in its owner's repository). */
@Module({
  imports: [MembershipModule, MessagesModule],
  controllers: [SearchController],
  providers: [SearchService],
})
export class SearchModule {}
