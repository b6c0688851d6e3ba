export type MessageType = 'text' | 'image';

export interface MessageView {
  id: string;
  conversationId: string;
  /** Increases by one per message within its conversation: orders messages and reveals gaps. */
  seq: number;
  senderId: string;
  content: string;
  type: MessageType;
  fileUrl?: string | null;
  thumbnailUrl?: string | null;
  clientId: string;
  createdAt: string;
}

/** Who has a message (`GET /api/conversations/:id/messages/:messageId/receipts`). */
export interface MessageReceiptsView {
  messageId: string;
  seq: number;
  deliveredTo: ReceiptEntry[];
  readBy: ReceiptEntry[];
}

export interface ReceiptEntry {
  userId: string;
  at: string;
}
