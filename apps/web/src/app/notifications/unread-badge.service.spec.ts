import { DOCUMENT } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Title } from '@angular/platform-browser';
import { UnreadBadgeService } from './unread-badge.service';

describe('UnreadBadgeService', () => {
  let badge: UnreadBadgeService;
  let link: HTMLLinkElement;

  beforeEach(() => {
    TestBed.configureTestingModule({});
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

  it('restores the plain favicon at zero', () => {
    badge.show(0);
    expect(link.getAttribute('href')).toBe('favicon.svg');
  });
});
