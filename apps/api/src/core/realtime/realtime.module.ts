import { Global, Module } from '@nestjs/common';
import { ConnectionGateway } from './connection.gateway';
import { RealtimeServer } from './realtime-server';

@Global()
@Module({ providers: [RealtimeServer, ConnectionGateway], exports: [RealtimeServer] })
export class RealtimeModule {}
