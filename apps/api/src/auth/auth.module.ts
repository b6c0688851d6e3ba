import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';
import { ApiThrottlerGuard } from '../core/rate-limit/api-throttler.guard';
import { RedisService } from '../core/redis/redis.service';
import { UsersModule } from '../users/users.module';
import { AccountController } from './account.controller';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtStrategy } from './jwt.strategy';
import { LoginAttemptsService } from './login-attempts.service';
import { PasswordsService } from './passwords.service';
import { PostgresSessionStore } from './postgres-session.store';
import { RedisSessionStore } from './redis-session.store';
import { SessionEntity } from './session.entity';
import { SessionStore } from './session-store';
import { SessionsFanout } from './sessions.fanout';
import { SessionsService } from './sessions.service';
import { jwtKey } from './jwt-key';
import { TokenService } from './token.service';

@Module({
  imports: [
    UsersModule,
    PassportModule,
    TypeOrmModule.forFeature([SessionEntity]),
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // A KeyObject built once: given a string, jsonwebtoken first tries (and fails) to parse
        // it as a public key on every sign and verify.
        secretOrKeyProvider: () => jwtKey(config.jwt.secret),
        signOptions: { algorithm: 'HS256', expiresIn: config.jwt.expiresInSeconds },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController, AccountController],
  providers: [
    AuthService,
    PasswordsService,
    SessionsService,
    SessionsFanout,
    TokenService,
    LoginAttemptsService,
    JwtStrategy,
    PostgresSessionStore,
    {
      provide: SessionStore,
      inject: [RedisService, PostgresSessionStore],
      useFactory: (redis: RedisService, postgres: PostgresSessionStore): SessionStore =>
        redis.enabled ? new RedisSessionStore(redis) : postgres,
    },
    // Order matters: the throttler needs `req.user`, which the JWT guard sets.
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: ApiThrottlerGuard },
  ],
  exports: [TokenService, SessionsService],
})
export class AuthModule {}
