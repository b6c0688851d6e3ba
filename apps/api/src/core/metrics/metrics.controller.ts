import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth/public.decorator';
import { MetricsTokenGuard } from './metrics-token.guard';
import { MetricsService } from './metrics.service';

/**
 * Scraped by Prometheus on each instance's own port (the balancer does not expose it), with
 * the METRICS_TOKEN bearer token when one is set (see MetricsTokenGuard).
 */
@ApiExcludeController()
@Public()
@UseGuards(MetricsTokenGuard)
@SkipThrottle({ anon: true, user: true })
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  render(): Promise<string> {
    return this.metrics.render();
  }
}
