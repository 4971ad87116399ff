import { Controller, Get, Header, Inject } from '@nestjs/common';
import { METRICS } from '../tokens.js';
import type { WorkerMetrics } from './metrics.js';

@Controller()
export class MetricsController {
  constructor(@Inject(METRICS) private readonly metrics: WorkerMetrics) {}

  /** Prometheus text format. */
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
