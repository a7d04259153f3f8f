/**
 * The credit widgets for React apps (UI.md): wrap a part of your app in <CreditsProvider> with the
 * account and a customer token, then place the widgets anywhere inside it. docs/widgets.md.
 */
export { CreditsProvider, type CreditsProviderProps } from './CreditsProvider';
export { CreditBalance } from './components/CreditBalance';
export { BillingPage } from './components/BillingPage';
export { AutoTopUpSettings } from './components/AutoTopUpSettings';
export { BuyCreditsModal, type BuyCreditsModalProps } from './components/BuyCreditsModal';
export { CreditHistory } from './components/CreditHistory';
export { CostPreview, type CostPreviewProps } from './components/CostPreview';
export { InsufficientCredits } from './components/InsufficientCredits';
export { LowBalanceBanner } from './components/LowBalanceBanner';
export { CoinIcon } from './components/CoinIcon';
export { useCredits, type Credits } from './hooks/useCredits';
export {
  useCreditHistory,
  type CreditHistory as CreditHistoryState,
} from './hooks/useCreditHistory';
export {
  createCreditsClient,
  CreditsApiError,
  type CreditsClient,
  type CreditsConnection,
} from './client/credits-client';
export type * from './client/types';
export {
  mountCreditWidgets,
  type MountOptions,
  type MountedWidgets,
  type WidgetName,
} from './mount';
