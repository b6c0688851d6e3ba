import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type {
  DeviceKeysView,
  OwnDeviceView,
  PreKeyBundleView,
  PreKeysLeftView,
} from '@chat/shared-dto';
import { ClaimBundlesDto, RegisterDeviceDto, UploadPreKeysDto } from '@chat/shared-dto';
import { AuthUser } from '../core/auth/auth-user';
import { CurrentUser } from '../core/auth/current-user.decorator';
import { ApiBodyOf } from '../core/swagger/api-schema';
import { KeysService } from './keys.service';

/** The key directory of end-to-end encryption: public keys of devices, never private ones. */
@ApiTags('keys')
@ApiBearerAuth()
@Controller('keys')
export class KeysController {
  constructor(private readonly keys: KeysService) {}

  @Post('devices')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary:
      "Register this browser's public keys (identity, signed prekey, one-time prekeys); answers its device id. An 11th device replaces the oldest",
  })
  @ApiBodyOf(RegisterDeviceDto)
  @ApiCreatedResponse({ description: 'OwnDeviceView' })
  register(@CurrentUser() me: AuthUser, @Body() body: RegisterDeviceDto): Promise<OwnDeviceView> {
    return this.keys.register(me.id, body);
  }

  @Get('devices')
  @ApiOperation({ summary: 'Your devices, with how many one-time prekeys each has left' })
  @ApiOkResponse({ description: 'OwnDeviceView[]' })
  ownDevices(@CurrentUser() me: AuthUser): Promise<OwnDeviceView[]> {
    return this.keys.ownDevices(me.id);
  }

  @Post('devices/:deviceId/prekeys')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Top up one of your devices with one-time prekeys (at most 200 held)' })
  @ApiBodyOf(UploadPreKeysDto)
  @ApiOkResponse({ description: '{ preKeysLeft }' })
  async addPreKeys(
    @CurrentUser() me: AuthUser,
    @Param('deviceId', new ParseIntPipe()) deviceId: number,
    @Body() body: UploadPreKeysDto,
  ): Promise<PreKeysLeftView> {
    return { preKeysLeft: await this.keys.addPreKeys(me.id, deviceId, body.preKeys) };
  }

  @Delete('devices/:deviceId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove one of your devices: it gets no more encrypted messages' })
  @ApiNoContentResponse({ description: 'removed' })
  remove(
    @CurrentUser() me: AuthUser,
    @Param('deviceId', new ParseIntPipe()) deviceId: number,
  ): Promise<void> {
    return this.keys.remove(me.id, deviceId);
  }

  @Get('users/:userId/devices')
  @ApiOperation({ summary: "A user's devices and their public identity keys (for safety numbers)" })
  @ApiOkResponse({ description: 'DeviceKeysView[]' })
  devicesOf(@Param('userId', new ParseUUIDPipe()) userId: string): Promise<DeviceKeysView[]> {
    return this.keys.devicesOf(userId);
  }

  @Post('users/:userId/bundles')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      "Prekey bundles to start sessions with a user's devices (each hands out one one-time prekey); yourself or someone you share a conversation with",
  })
  @ApiBodyOf(ClaimBundlesDto)
  @ApiOkResponse({ description: 'PreKeyBundleView[]' })
  claimBundles(
    @CurrentUser() me: AuthUser,
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @Body() body: ClaimBundlesDto,
  ): Promise<PreKeyBundleView[]> {
    return this.keys.claimBundles(me.id, userId, body.deviceIds);
  }
}
