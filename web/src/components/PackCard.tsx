import type { CreditPack } from '../client/types';
import { formatCredits, formatMoney } from '../format';

/** One pack of the catalog, a button: choosing it starts Checkout for it. */
export function PackCard({
  pack,
  onChoose,
}: {
  pack: CreditPack;
  onChoose: (pack: CreditPack) => void;
}) {
  const credits = pack.credits + (pack.bonusCredits ?? 0);
  const price = formatMoney(pack.price.minor, pack.price.currency);
  return (
    <button
      type="button"
      className={pack.popular ? 'cw-pack cw-pack-popular' : 'cw-pack'}
      data-testid="pack-card"
      data-pack-id={pack.packId}
      onClick={() => onChoose(pack)}
    >
      {pack.popular && (
        <span className="cw-badge" data-testid="pack-popular-badge">
          Most Popular
        </span>
      )}
      <span className="cw-pack-name">{pack.name}</span>
      <span className="cw-pack-credits">{formatCredits(credits)} credits</span>
      <span className="cw-pack-price">{price}</span>
      {(pack.savingsPercent ?? 0) > 0 && (
        <span className="cw-savings">Save {pack.savingsPercent}%</span>
      )}
    </button>
  );
}
