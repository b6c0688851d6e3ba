import { Module } from '@nestjs/common';
import { ConversationsModule } from '../conversations/conversations.module';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';
import { PresenceModule } from '../presence/presence.module';
import { UsersModule } from '../users/users.module';
import { BullPushQueue } from './bull-push.queue';
import { Resolver, systemResolver } from './endpoint-policy';
import { PushNotifierService } from './push-notifier.service';
import { PushSender } from './push-sender';
import { PushSubscriptionsService } from './push-subscriptions.service';
import { PushController } from './push.controller';
import { DEFAULT_RETRY, InProcessPushQueue, PushQueue } from './push.queue';
import { PUSH_QUEUE, PUSH_RESOLVER } from './push.tokens';
import { VapidKeysService } from './vapid-keys.service';

/** Web Push: VAPID keys, subscriptions, and a push per new message to members who are away. */
@Module({
  imports: [ConversationsModule, PresenceModule, UsersModule],
  controllers: [PushController],
  providers: [
    VapidKeysService,
    PushSubscriptionsService,
    PushNotifierService,
    { provide: PUSH_RESOLVER, useValue: systemResolver },
    {
      provide: PushSender,
      inject: [APP_CONFIG, PUSH_RESOLVER],
      useFactory: (config: AppConfig, resolve: Resolver) =>
        new PushSender({ allowInsecure: config.push.allowInsecureEndpoints }, resolve),
    },
    {
      provide: PUSH_QUEUE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): PushQueue =>
        config.redis
          ? new BullPushQueue(config.redis.url, `${config.redis.keyPrefix}bull`, DEFAULT_RETRY)
          : new InProcessPushQueue(DEFAULT_RETRY),
    },
  ],
})
export class PushModule {}
