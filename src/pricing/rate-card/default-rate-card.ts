import type { RateCard } from './rate-card';

/**
 * STAND-IN (issue 13, quotes branch): the rate-card engineer ships the real default card under this
 * name; on merge theirs replaces this file whole. The seeds' four operations, priced plainly.
 */
export const DEFAULT_RATE_CARD: RateCard = {
  version: 0,
  publishedAt: '1970-01-01T00:00:00.000Z',
  operations: [
    {
      operationId: 'stem-separation',
      name: 'Stem separation',
      unit: 'call',
      pricing: { base: 10, perUnit: 0, unitSize: 1, minimum: 10 },
    },
    {
      operationId: 'render',
      name: 'Render',
      unit: 'second',
      pricing: { base: 0, perUnit: 5, unitSize: 60, minimum: 5 },
    },
    {
      operationId: 'video-export',
      name: 'Video export',
      unit: 'second',
      pricing: {
        base: 0,
        perUnit: 8,
        unitSize: 60,
        minimum: 8,
        multiplier: { resolution: { '720p': 1, '1080p': 1.5, '4k': 3 } },
      },
    },
    {
      operationId: 'ai-generation',
      name: 'AI generation',
      unit: 'call',
      minimumAvailable: 50,
      pricing: {
        base: 20,
        perUnit: 0,
        unitSize: 1,
        minimum: 20,
        multiplier: { complexity: { low: 1, medium: 2.5, high: 5 } },
      },
    },
  ],
};
