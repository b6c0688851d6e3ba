import { Injectable } from '@nestjs/common';
import { OnDomainEvent } from '../core/events/domain-events';
import { MESSAGE_UPDATED, MessageUpdatedEvent } from '../messages/message.events';
import { UploadsService } from './uploads.service';

/** A deleted message's file is deleted with it. */
@Injectable()
export class UploadsCleanup {
  constructor(private readonly uploads: UploadsService) {}

  @OnDomainEvent(MESSAGE_UPDATED)
  async messageChanged(event: MessageUpdatedEvent): Promise<void> {
    if (event.releasedFileUrl) await this.uploads.discard(event.releasedFileUrl);
  }
}
