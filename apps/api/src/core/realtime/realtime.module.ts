import { Global, Module } from '@nestjs/common';
import { Broadcaster } from './broadcaster';
import { ConnectionGateway } from './connection.gateway';
import { RealtimeServer } from './realtime-server';

@Global()
@Module({
  providers: [RealtimeServer, Broadcaster, ConnectionGateway],
  exports: [RealtimeServer, Broadcaster],
})
export class RealtimeModule {}
