import { Global, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ANON_THROTTLER, USER_THROTTLER } from './api-throttler.guard';
import { LimiterThrottlerStorage } from './limiter-throttler.storage';
import { RateLimiterService } from './rate-limiter.service';

@Global()
@Module({ providers: [RateLimiterService], exports: [RateLimiterService] })
class LimiterModule {}

@Global()
@Module({
  imports: [
    LimiterModule,
    ThrottlerModule.forRootAsync({
      imports: [LimiterModule],
      inject: [APP_CONFIG, RateLimiterService],
      useFactory: (config: AppConfig, limiter: RateLimiterService) => ({
        throttlers: [
          {
            name: ANON_THROTTLER,
            limit: config.limits.anon.limit,
            ttl: config.limits.anon.ttlSeconds * 1000,
          },
          {
            name: USER_THROTTLER,
            limit: config.limits.user.limit,
            ttl: config.limits.user.ttlSeconds * 1000,
          },
        ],
        storage: new LimiterThrottlerStorage(limiter),
        // One budget per client across all routes, not one per route.
        generateKey: (_context, tracker, throttlerName) => `${throttlerName}:${tracker}`,
      }),
    }),
  ],
  exports: [LimiterModule],
})
export class RateLimitModule {}
