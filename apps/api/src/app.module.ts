import { Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import { CallsModule } from './calls/calls.module';
import { ConversationsModule } from './conversations/conversations.module';
import { AppConfigModule } from './core/config/config.module';
import { DatabaseModule } from './core/database/database.module';
import { DomainEventsModule } from './core/events/domain-events';
import { LoggingModule } from './core/logging/logging.module';
import { MetricsModule } from './core/metrics/metrics.module';
import { RateLimitModule } from './core/rate-limit/rate-limit.module';
import { RealtimeModule } from './core/realtime/realtime.module';
import { RedisModule } from './core/redis/redis.module';
import { HealthModule } from './health/health.module';
import { KeysModule } from './keys/keys.module';
import { MessagesModule } from './messages/messages.module';
import { BATCH_GUARD_TRIPPED } from './messages/messages.repository';
import { PresenceModule } from './presence/presence.module';
import { PushModule } from './push/push.module';
import { ReceiptsModule } from './receipts/receipts.module';
import { SearchModule } from './search/search.module';
import { TypingModule } from './typing/typing.module';
import { UploadModule } from './upload/upload.module';
import { UsersModule } from './users/users.module';

@Module({
  imports: [
    AppConfigModule,
    LoggingModule,
    RedisModule,
    DatabaseModule.forRoot({ quietErrorCodes: [BATCH_GUARD_TRIPPED] }),
    DomainEventsModule,
    RateLimitModule,
    RealtimeModule,
    MetricsModule,
    HealthModule,
    UsersModule,
    AuthModule,
    ConversationsModule,
    KeysModule,
    MessagesModule,
    ReceiptsModule,
    TypingModule,
    PresenceModule,
    UploadModule,
    SearchModule,
    PushModule,
    CallsModule,
  ],
})
export class AppModule {}
