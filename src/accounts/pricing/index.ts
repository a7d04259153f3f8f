import type { Provider } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { ChargePricer } from './charge-pricer';
import { CreateQuoteHandler } from './create-quote.handler';
import { PriceCaptureHandler } from './price-capture.handler';
import { PriceChargeHandler } from './price-charge.handler';
import { QuoteRetention } from './quote-retention';
import { QuoteSigner } from './quote-signer';
import { QuoteStore } from './quote-store';

/**
 * Quotes and spending by operation (docs/pricing.md "Quotes and spending by operation"): pricing
 * a spend before it is sent, and the quotes a spend or hold may pay.
 */
export const ACCOUNT_PRICING_PROVIDERS: Provider[] = [
  {
    provide: QuoteSigner,
    inject: [AppConfig],
    useFactory: (config: AppConfig) => QuoteSigner.fromConfig(config),
  },
  QuoteStore,
  QuoteRetention,
  ChargePricer,
  PriceChargeHandler,
  PriceCaptureHandler,
  CreateQuoteHandler,
];
