/** An account was deleted (its row erased): its owner leaves every group. */
export const ACCOUNT_DELETED = 'account.deleted';

export interface AccountDeletedEvent {
  userId: string;
}

declare module '../core/events/domain-events' {
  interface DomainEventMap {
    [ACCOUNT_DELETED]: AccountDeletedEvent;
  }
}
