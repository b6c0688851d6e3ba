import { DOCUMENT } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ChangeDetectionStrategy, Component } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { Router, provideRouter } from '@angular/router';
import { UnreadBadgeService } from './unread-badge.service';

@Component({ template: '', changeDetection: ChangeDetectionStrategy.OnPush })
class BlankComponent {}

describe('UnreadBadgeService', () => {
  let badge: UnreadBadgeService;
  let link: HTMLLinkElement;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'c/:id', component: BlankComponent, title: 'chat' },
          { path: 'settings', component: BlankComponent, title: 'Settings · chat' },
        ]),
      ],
    });
    const document = TestBed.inject(DOCUMENT);
    link = document.createElement('link');
    link.rel = 'icon';
    link.href = 'favicon.svg';
    document.head.appendChild(link);
    badge = TestBed.inject(UnreadBadgeService);
  });

  afterEach(() => link.remove());

  it('shows the count in the tab title, and the plain title at zero', () => {
    const title = TestBed.inject(Title);
    badge.show(3);
    expect(title.getTitle()).toBe('(3) chat');
    badge.show(0);
    expect(title.getTitle()).toBe('chat');
  });

  it('keeps the count in front of the title that each navigation sets', async () => {
    const title = TestBed.inject(Title);
    const router = TestBed.inject(Router);
    badge.show(2);
    await router.navigateByUrl('/c/1');
    expect(title.getTitle()).toBe('(2) chat');
    await router.navigateByUrl('/settings');
    expect(title.getTitle()).toBe('(2) Settings · chat');
    badge.show(0);
    expect(title.getTitle()).toBe('Settings · chat');
  });

  it('restores the plain favicon at zero', () => {
    badge.show(0);
    expect(link.getAttribute('href')).toBe('favicon.svg');
  });
});
