import { TestBed } from '@angular/core/testing';
import type { OwnDeviceView } from '@chat/shared-dto';
import { of } from 'rxjs';
import { KeysApi } from '../chat/e2e/keys.api';
import { EncryptionDevicesComponent } from './encryption-devices.component';

const device = (deviceId: number, preKeysLeft: number): OwnDeviceView => ({
  userId: 'me',
  deviceId,
  registrationId: 7,
  identityKey: btoa('k'.repeat(33)),
  createdAt: '2026-12-01T10:00:00Z',
  preKeysLeft,
});

describe('EncryptionDevicesComponent', () => {
  async function render(devices: OwnDeviceView[]) {
    const keys = {
      ownDevices: jest.fn(() => of(devices)),
      removeDevice: jest.fn(() => of(undefined)),
    };
    TestBed.configureTestingModule({ providers: [{ provide: KeysApi, useValue: keys }] });
    const fixture = TestBed.createComponent(EncryptionDevicesComponent);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const all = (id: string) => [...element.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
    return { fixture, keys, all };
  }

  it('lists my devices by id with when they were set up and the one-time keys left', async () => {
    const { all } = await render([device(3, 1), device(1, 80)]);
    const rows = all('encryption-device');
    expect(rows.map((row) => row.dataset['deviceId'])).toEqual(['1', '3']);
    expect(rows[0].textContent).toContain('Device 1');
    expect(rows[0].textContent).toContain('80 one-time keys left');
    expect(rows[1].textContent).toContain('1 one-time key left');
  });

  it('removes a device after a confirmation', async () => {
    const { fixture, keys, all } = await render([device(1, 80), device(2, 50)]);
    all('encryption-device-remove')[1].click();
    await fixture.whenStable();
    expect(keys.removeDevice).not.toHaveBeenCalled();
    all('encryption-device-remove-confirm')[0].click();
    await fixture.whenStable();
    expect(keys.removeDevice).toHaveBeenCalledWith(2);
    expect(all('encryption-device').map((row) => row.dataset['deviceId'])).toEqual(['1']);
  });

  it('says when no device has keys yet', async () => {
    const { all } = await render([]);
    expect(all('encryption-devices-empty')).toHaveLength(1);
  });
});
