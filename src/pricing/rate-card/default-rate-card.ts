import { freezeCard } from './freeze-card';
import type { RateCard } from './rate-card';

/**
 * The card served until the first `PUT /v1/rate-card` (version 0, never published, so never in the
 * stream). The seeds' operations, priced for the default packs (100 credits for 10.00 USD, so a
 * credit is about 0.10 USD); docs/pricing.md works through each of them.
 *
 * - `stem-separation`: 5 credits per call; needs 10 available to start (the seeds' `minBalance`).
 * - `render`: quantity in seconds; 2 to start the job plus 2 per started minute; needs 20 available.
 * - `video-export`: quantity in seconds; 3 per started minute, at least 5, times the resolution
 *   (720p × 1, 1080p × 1.5, 4k × 4).
 * - `ai-generation`: 10 per generation times the complexity (simple × 0.5, standard × 1, complex × 2.5).
 */
export const DEFAULT_RATE_CARD: RateCard = freezeCard({
  version: 0,
  // Never published: the epoch says so (a string, like every published card's instant).
  publishedAt: '1970-01-01T00:00:00.000Z',
  operations: [
    {
      operationId: 'stem-separation',
      name: 'Stem separation',
      unit: 'call',
      minimumAvailable: 10,
      pricing: { base: 0, perUnit: 5, unitSize: 1, minimum: 0 },
    },
    {
      operationId: 'render',
      name: 'Render',
      unit: 'second',
      minimumAvailable: 20,
      pricing: { base: 2, perUnit: 2, unitSize: 60, minimum: 0 },
    },
    {
      operationId: 'video-export',
      name: 'Video export',
      unit: 'second',
      pricing: {
        base: 0,
        perUnit: 3,
        unitSize: 60,
        minimum: 5,
        multiplier: { resolution: { '720p': 1, '1080p': 1.5, '4k': 4 } },
      },
    },
    {
      operationId: 'ai-generation',
      name: 'AI generation',
      unit: 'generation',
      pricing: {
        base: 0,
        perUnit: 10,
        unitSize: 1,
        minimum: 0,
        multiplier: { complexity: { simple: 0.5, standard: 1, complex: 2.5 } },
      },
    },
  ],
});
