import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { CreditsConnection } from './client/credits-client';
import type { QuoteRequest } from './client/types';
import { AutoTopUpSettings } from './components/AutoTopUpSettings';
import { BillingPage } from './components/BillingPage';
import { CostPreview } from './components/CostPreview';
import { CreditBalance } from './components/CreditBalance';
import { CreditHistory } from './components/CreditHistory';
import { LowBalanceBanner } from './components/LowBalanceBanner';
import { useCreditsContext } from './credits-context';
import { CreditsProvider } from './CreditsProvider';

export type WidgetName =
  'balance' | 'billing' | 'history' | 'low-balance' | 'cost-preview' | 'auto-top-up';

export interface MountOptions extends CreditsConnection {
  /** Which widget goes into the element; default `balance` (header balance, menu and modal). */
  widget?: WidgetName;
  /** Asked for a new customer token when the current one is refused (expired). */
  renewToken?: () => Promise<string>;
  /** Where "View History" leads; default `#history`. */
  historyHref?: string;
  /** For `cost-preview`: the action and its quote request. */
  costPreview?: QuoteRequest & { label: string };
  /** For `history`: rows per page (1–200, default 20). */
  pageSize?: number;
}

export interface MountedWidgets {
  /** Opens the purchase modal (e.g. from your own "Buy" button). */
  buyCredits: () => void;
  unmount: () => void;
}

/**
 * For pages without React (the plain ESM bundle, dist/web/lib/mount.js, also served at
 * /app/widgets/credit-widgets.js): renders one widget into `element`, React included.
 */
export function mountCreditWidgets(element: Element, options: MountOptions): MountedWidgets {
  const root = createRoot(element);
  let buyCredits: () => void = () => undefined;
  const Bridge = () => {
    buyCredits = useCreditsContext().openPurchase;
    return null;
  };
  root.render(
    <StrictMode>
      <CreditsProvider
        accountId={options.accountId}
        token={options.token}
        apiBase={options.apiBase}
        historyHref={options.historyHref}
        renewToken={options.renewToken}
      >
        <Bridge />
        <Widget options={options} />
      </CreditsProvider>
    </StrictMode>,
  );
  return { buyCredits: () => buyCredits(), unmount: () => root.unmount() };
}

function Widget({ options }: { options: MountOptions }) {
  switch (options.widget ?? 'balance') {
    case 'billing':
      return <BillingPage />;
    case 'auto-top-up':
      return <AutoTopUpSettings />;
    case 'history':
      return <CreditHistory pageSize={options.pageSize} />;
    case 'low-balance':
      return <LowBalanceBanner />;
    case 'cost-preview':
      if (!options.costPreview) throw new Error('widget "cost-preview" needs options.costPreview');
      return <CostPreview {...options.costPreview} />;
    default:
      return <CreditBalance />;
  }
}
