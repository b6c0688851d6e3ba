import type { Routes } from '@angular/router';
import { ChatShellComponent } from './chat-shell.component';

export const chatRoutes: Routes = [
  {
    path: '',
    component: ChatShellComponent,
    children: [
      {
        path: '',
        title: 'chat',
        loadComponent: () => import('./empty-state.component').then((m) => m.EmptyStateComponent),
      },
      {
        path: 'settings',
        title: 'Settings · chat',
        loadComponent: () =>
          import('../settings/settings.component').then((m) => m.SettingsComponent),
      },
      {
        path: 'c/:conversationId',
        title: 'chat',
        loadComponent: () =>
          import('./messages/conversation.component').then((m) => m.ConversationComponent),
      },
    ],
  },
];
