import type { Routes } from '@angular/router';
import { ChatShellComponent } from './chat-shell.component';

export const chatRoutes: Routes = [
  {
    path: '',
    component: ChatShellComponent,
    title: 'chat',
    children: [],
  },
];
