import { InitialSchema1764000000000 } from './1764000000000-InitialSchema';
import { CreateUploads1764000000100 } from './1764000000100-CreateUploads';
import { AddConversationMute1765000000510 } from './1765000000510-AddConversationMute';
import { CreatePush1765000000520 } from './1765000000520-CreatePush';
import { MessageLifecycle1765100000000 } from './1765100000000-MessageLifecycle';
import { MessageSearch1765200000000 } from './1765200000000-MessageSearch';
import { CreateUserBlocks1765300000000 } from './1765300000000-CreateUserBlocks';
import { AccountDeletion1765300000100 } from './1765300000100-AccountDeletion';
import { CallMessages1765310000000 } from './1765310000000-CallMessages';
import { UploadAccess1765320000000 } from './1765320000000-UploadAccess';
import { DocumentUploads1765320000100 } from './1765320000100-DocumentUploads';
import { DirectMessagePolicy1765330000000 } from './1765330000000-DirectMessagePolicy';
import { VoiceUploads1765340000000 } from './1765340000000-VoiceUploads';
import { SearchRecencyIndex1765350000000 } from './1765350000000-SearchRecencyIndex';
import { SearchKeysPerConversation1765360000000 } from './1765360000000-SearchKeysPerConversation';
import { MembersJoinedOrder1765370000000 } from './1765370000000-MembersJoinedOrder';
import { EndToEndEncryption1765380000000 } from './1765380000000-EndToEndEncryption';

/** Every migration, in order. Listed by hand because a bundled build cannot glob. */
export const migrations = [
  InitialSchema1764000000000,
  CreateUploads1764000000100,
  AddConversationMute1765000000510,
  CreatePush1765000000520,
  MessageLifecycle1765100000000,
  MessageSearch1765200000000,
  CreateUserBlocks1765300000000,
  AccountDeletion1765300000100,
  CallMessages1765310000000,
  UploadAccess1765320000000,
  DocumentUploads1765320000100,
  DirectMessagePolicy1765330000000,
  VoiceUploads1765340000000,
  SearchRecencyIndex1765350000000,
  SearchKeysPerConversation1765360000000,
  MembersJoinedOrder1765370000000,
  EndToEndEncryption1765380000000,
];
