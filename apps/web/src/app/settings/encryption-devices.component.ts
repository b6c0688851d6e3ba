import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import type { OwnDeviceView } from '@chat/shared-dto';
import { firstValueFrom } from 'rxjs';
import { KeysApi } from '../chat/e2e/keys.api';
import { fullTime } from '../chat/shared/format';
import { parseHttpError } from '../core/http/http-error';

interface DeviceRow {
  device: OwnDeviceView;
  created: string;
  preKeys: string;
}

/**
 * The signed-in user's devices with end-to-end encryption keys (`GET /api/keys/devices`): each
 * can read the encrypted chats; removing one stops new messages from being encrypted for it.
 */
@Component({
  selector: 'chat-encryption-devices',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 id="encryption-devices-heading">Devices with encryption keys</h2>
    <p class="muted intro">
      Each browser you use end-to-end encrypted chats in has its own keys. Remove one you no longer
      use: new encrypted messages stop reaching it, and your safety numbers change.
    </p>
    @if (error(); as message) {
      <p class="alert" role="alert" data-testid="encryption-devices-error">{{ message }}</p>
    }
    @if (devices() === null) {
      @if (!error()) {
        <p class="muted"><span class="spinner" aria-hidden="true"></span> Loading…</p>
      }
    } @else if (!rows().length) {
      <p class="muted" data-testid="encryption-devices-empty">
        No device has set up end-to-end encryption yet.
      </p>
    } @else {
      <ul class="devices">
        @for (row of rows(); track row.device.deviceId) {
          <li data-testid="encryption-device" [attr.data-device-id]="row.device.deviceId">
            <span class="what">
              <strong>Device {{ row.device.deviceId }}</strong>
              <small>Set up {{ row.created }}</small>
              <small data-testid="encryption-device-prekeys">{{ row.preKeys }}</small>
            </span>
            @if (confirming() === row.device.deviceId) {
              <span class="confirm">
                <button
                  type="button"
                  class="btn danger"
                  data-testid="encryption-device-remove-confirm"
                  [attr.aria-label]="'Remove device ' + row.device.deviceId"
                  [disabled]="removing() !== null"
                  (click)="remove(row.device)"
                >
                  Remove
                </button>
                <button type="button" class="btn" (click)="confirming.set(null)">Cancel</button>
              </span>
            } @else {
              <button
                type="button"
                class="btn"
                data-testid="encryption-device-remove"
                [attr.aria-label]="'Remove device ' + row.device.deviceId + '…'"
                [disabled]="removing() !== null"
                (click)="confirming.set(row.device.deviceId)"
              >
                Remove…
              </button>
            }
          </li>
        }
      </ul>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    h2 {
      margin: 0 0 6px;
      font-size: 16px;
    }
    .muted {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 0;
      color: var(--text-muted);
      font-size: 14px;
    }
    .intro {
      margin-bottom: 10px;
      line-height: 1.4;
    }
    .alert {
      margin-bottom: 8px;
    }
    .devices {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    li {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px 12px;
      padding: 10px 0;
      border-top: 1px solid var(--border);
    }
    .what {
      display: flex;
      flex: 1;
      flex-direction: column;
      min-width: 0;
    }
    .what small {
      color: var(--text-muted);
    }
    .confirm {
      display: flex;
      gap: 6px;
    }
    .btn.danger {
      border-color: var(--danger);
      color: var(--danger);
    }
  `,
})
export class EncryptionDevicesComponent {
  private readonly keys = inject(KeysApi);

  protected readonly devices = signal<readonly OwnDeviceView[] | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly confirming = signal<number | null>(null);
  protected readonly removing = signal<number | null>(null);
  protected readonly rows = computed<DeviceRow[]>(() =>
    [...(this.devices() ?? [])]
      .sort((a, b) => a.deviceId - b.deviceId)
      .map((device) => ({
        device,
        created: fullTime(device.createdAt),
        preKeys: `${device.preKeysLeft} one-time key${device.preKeysLeft === 1 ? '' : 's'} left`,
      })),
  );

  constructor() {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.devices.set(await firstValueFrom(this.keys.ownDevices()));
      this.error.set(null);
    } catch (err) {
      this.error.set(parseHttpError(err).message || 'Could not load your devices.');
    }
  }

  protected async remove(device: OwnDeviceView): Promise<void> {
    this.removing.set(device.deviceId);
    this.error.set(null);
    try {
      await firstValueFrom(this.keys.removeDevice(device.deviceId));
      this.devices.update((list) =>
        (list ?? []).filter((item) => item.deviceId !== device.deviceId),
      );
      this.confirming.set(null);
    } catch (err) {
      this.error.set(parseHttpError(err).message || 'Could not remove the device.');
    } finally {
      this.removing.set(null);
    }
  }
}
