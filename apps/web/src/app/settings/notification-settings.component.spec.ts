import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideServiceWorker } from '@angular/service-worker';
import { NotificationPreferencesService } from '../notifications/notification-preferences.service';
import { NotificationSettingsComponent } from './notification-settings.component';

describe('NotificationSettingsComponent', () => {
  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      imports: [NotificationSettingsComponent],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideServiceWorker('sw.js', { enabled: false }),
      ],
    });
  });

  function render() {
    const fixture = TestBed.createComponent(NotificationSettingsComponent);
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    const box = (id: string) => el.querySelector<HTMLInputElement>(`[data-testid="${id}"]`);
    return { fixture, box };
  }

  it('shows the three toggles with the stored preferences', () => {
    TestBed.inject(NotificationPreferencesService).set({ toasts: false, sound: true });
    const { box } = render();
    expect(box('pref-desktop')).not.toBeNull();
    expect(box('pref-toasts')?.checked).toBe(false);
    expect(box('pref-sound')?.checked).toBe(true);
    expect(box('pref-sound')?.disabled).toBe(true);
  });

  it('turns toasts off and keeps the choice in this browser', async () => {
    const { fixture, box } = render();
    box('pref-toasts')?.click();
    await fixture.whenStable();
    expect(TestBed.inject(NotificationPreferencesService).preferences().toasts).toBe(false);
    expect(JSON.parse(localStorage.getItem('chat.notifications') ?? '{}')).toMatchObject({
      toasts: false,
    });
  });
});
