import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { socketAuthMiddleware } from './auth/socket-auth.middleware';
import { TokenService } from './auth/token.service';
import { ConversationRooms } from './conversations/conversation-rooms';
import { AppConfig } from './core/config/app-config';
import { APP_CONFIG } from './core/config/config.module';
import { configureApp } from './core/http/configure-app';
import { RealtimeAdapter } from './core/realtime/realtime.adapter';
import { RedisService } from './core/redis/redis.service';

/** Builds the whole application (HTTP, Socket.IO, database) without listening. */
export async function createApp(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  const config = app.get<AppConfig>(APP_CONFIG);
  const realtime = new RealtimeAdapter(app, config, app.get(RedisService), [
    socketAuthMiddleware(app.get(TokenService)),
    // After auth: which conversation rooms the socket joins as it connects.
    app.get(ConversationRooms).middleware,
  ]);
  app.useWebSocketAdapter(realtime);
  configureApp(app, config);
  await app.init();
  // Before listening: other instances must publish what this one's first sockets need.
  await realtime.ready();
  return app;
}
