import type { RateCard } from './rate-card';

/**
 * Where the published rate cards are read (the pricing module provides the implementation; other
 * features inject this). Every card ever published stays readable by its version, so a quote or a
 * hold is always priced by the card it was made under.
 */
export abstract class RateCards {
  /** The newest published card, or the default card (version 0) when none was published. */
  abstract current(): Promise<RateCard>;
  /** A card by its version (0 is the default card); null when no such version exists. */
  abstract version(version: number): Promise<RateCard | null>;
}
