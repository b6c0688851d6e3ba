import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  DeviceKeysView,
  OwnDeviceView,
  PreKeyBundleView,
  PreKeyDto,
  PreKeysLeftView,
  RegisterDeviceDto,
} from '@chat/shared-dto';
import type { Observable } from 'rxjs';

/** The key directory (`/api/keys`): public keys only; private keys never leave the browser. */
@Injectable({ providedIn: 'root' })
export class KeysApi {
  private readonly http = inject(HttpClient);

  registerDevice(device: RegisterDeviceDto): Observable<OwnDeviceView> {
    return this.http.post<OwnDeviceView>('/api/keys/devices', device);
  }

  ownDevices(): Observable<OwnDeviceView[]> {
    return this.http.get<OwnDeviceView[]>('/api/keys/devices');
  }

  uploadPreKeys(deviceId: number, preKeys: PreKeyDto[]): Observable<PreKeysLeftView> {
    return this.http.post<PreKeysLeftView>(`/api/keys/devices/${deviceId}/prekeys`, { preKeys });
  }

  removeDevice(deviceId: number): Observable<void> {
    return this.http.delete<void>(`/api/keys/devices/${deviceId}`);
  }

  /** Public identities of a user's devices (safety numbers, the list of devices to encrypt for). */
  devicesOf(userId: string): Observable<DeviceKeysView[]> {
    return this.http.get<DeviceKeysView[]>(`/api/keys/users/${encodeURIComponent(userId)}/devices`);
  }

  /** Claims one one-time prekey per device (absent: every device) to start sessions with them. */
  claimBundles(userId: string, deviceIds?: number[]): Observable<PreKeyBundleView[]> {
    return this.http.post<PreKeyBundleView[]>(
      `/api/keys/users/${encodeURIComponent(userId)}/bundles`,
      deviceIds ? { deviceIds } : {},
    );
  }
}
