import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * `/metrics` names versions, pool sizes and traffic: with METRICS_TOKEN set it asks for
 * `Authorization: Bearer <METRICS_TOKEN>`; without one it is open in development and tests
 * and absent (404) in production, so a forgotten token never exposes it.
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly expected: Buffer | null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.expected = config.metricsToken ? digest(config.metricsToken) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) {
      if (this.config.production) throw new NotFoundException();
      return true;
    }
    const header = context.switchToHttp().getRequest<Request>().get('authorization') ?? '';
    const match = /^Bearer (.+)$/i.exec(header);
    // Equal-length digests: the comparison takes the same time whatever was sent.
    if (!match || !timingSafeEqual(digest(match[1]), this.expected)) {
      throw new UnauthorizedException('metrics need the METRICS_TOKEN bearer token');
    }
    return true;
  }
}
