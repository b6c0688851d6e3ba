import './e2e-env.test';
import { TestBed } from '@angular/core/testing';
import type { OwnDeviceView, PreKeyDto, RegisterDeviceDto } from '@chat/shared-dto';
import { of } from 'rxjs';
import { E2eDeviceService } from './device.service';
import { KeysApi } from './keys.api';

describe('E2eDeviceService', () => {
  let userId: string;
  let listed: OwnDeviceView[];
  const registerDevice = jest.fn();
  const uploadPreKeys = jest.fn();
  let nextDeviceId = 1;

  function view(dto: RegisterDeviceDto, deviceId: number, preKeysLeft: number): OwnDeviceView {
    return {
      userId,
      deviceId,
      registrationId: dto.registrationId,
      identityKey: dto.identityKey,
      createdAt: '2026-12-04T01:00:00.000Z',
      preKeysLeft,
    };
  }

  /** A fresh service (a new page load) against the same IndexedDB. */
  async function boot(): Promise<E2eDeviceService> {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [
        {
          provide: KeysApi,
          useValue: {
            ownDevices: () => of(listed),
            registerDevice,
            uploadPreKeys,
          },
        },
      ],
    });
    const service = TestBed.inject(E2eDeviceService);
    service.start(userId);
    await service.cipher();
    return service;
  }

  beforeEach(() => {
    userId = `user-${Math.random().toString(36).slice(2)}`;
    listed = [];
    nextDeviceId = 1;
    registerDevice.mockReset().mockImplementation((dto: RegisterDeviceDto) => {
      const registered = view(dto, nextDeviceId++, dto.preKeys.length);
      listed = [registered];
      return of(registered);
    });
    uploadPreKeys
      .mockReset()
      .mockImplementation((_id: number, preKeys: PreKeyDto[]) =>
        of({ preKeysLeft: preKeys.length }),
      );
  });

  it('registers a new browser once, with 100 one-time prekeys, and then keeps its device', async () => {
    const first = await boot();
    expect(first.ready()).toBe(true);
    expect(first.device()).toEqual({ deviceId: 1, createdAt: '2026-12-04T01:00:00.000Z' });
    expect(registerDevice).toHaveBeenCalledTimes(1);
    const dto = registerDevice.mock.calls[0][0] as RegisterDeviceDto;
    expect(dto.preKeys.map((k) => k.keyId)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(dto.identityKey).toHaveLength(44);
    expect(dto.signedPreKey.signature).toHaveLength(88);
    first.stop();

    const again = await boot();
    expect(registerDevice).toHaveBeenCalledTimes(1);
    expect(again.device()?.deviceId).toBe(1);
    again.stop();
  }, 30_000);

  it('registers afresh with new keys when the directory dropped this device', async () => {
    (await boot()).stop();
    const oldKey = (registerDevice.mock.calls[0][0] as RegisterDeviceDto).identityKey;
    listed = []; // evicted by an 11th device, or removed from another one
    const service = await boot();
    expect(registerDevice).toHaveBeenCalledTimes(2);
    expect((registerDevice.mock.calls[1][0] as RegisterDeviceDto).identityKey).not.toBe(oldKey);
    expect(service.device()?.deviceId).toBe(2);
    service.stop();
  }, 30_000);

  it('tops up one-time prekeys below the watermark, continuing the key ids', async () => {
    (await boot()).stop();
    listed = [{ ...listed[0], preKeysLeft: 19 }];
    const service = await boot();
    expect(uploadPreKeys).toHaveBeenCalledTimes(1);
    const [deviceId, preKeys] = uploadPreKeys.mock.calls[0] as [number, PreKeyDto[]];
    expect(deviceId).toBe(1);
    expect(preKeys.map((k) => k.keyId)).toEqual(Array.from({ length: 100 }, (_, i) => i + 101));
    service.stop();

    listed = [{ ...listed[0], preKeysLeft: 20 }];
    (await boot()).stop();
    expect(uploadPreKeys).toHaveBeenCalledTimes(1);
  }, 30_000);

  it('registers anew on a recheck when this device was removed during the session', async () => {
    const service = await boot();
    expect(await service.recheck()).toBe(false);
    expect(registerDevice).toHaveBeenCalledTimes(1);
    listed = []; // removed from another device
    expect(await service.recheck()).toBe(true);
    expect(service.device()?.deviceId).toBe(2);
    expect((await service.cipher()).self.deviceId).toBe(2);
    service.stop();
  }, 30_000);
});
