import type { AppConfig } from '../../config/app-config';

/** PRODUCT.md §2: welcome credits are promotional and expire this long after they are given. */
export const WELCOME_CREDITS_LIFETIME_DAYS = 365;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface WelcomePolicy {
  reason: 'signup' | 'lead';
  credits: number;
  expiresAt: string;
}

/** The policy an account gets: the lead policy for `lead:` ids, the signup policy otherwise. */
export function welcomePolicyFor(accountId: string, config: AppConfig, now: Date): WelcomePolicy {
  const lead = accountId.startsWith('lead:');
  return {
    reason: lead ? 'lead' : 'signup',
    credits: lead ? config.leadCredits : config.signupCredits,
    expiresAt: new Date(now.getTime() + WELCOME_CREDITS_LIFETIME_DAYS * DAY_MS).toISOString(),
  };
}
