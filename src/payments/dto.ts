import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
  buildMessage,
} from 'class-validator';
import { ACCOUNT_ID_PATTERN } from '../ledger/limits';

export type UiMode = 'embedded' | 'hosted';
export const UI_MODES: UiMode[] = ['embedded', 'hosted'];
export const MAX_RETURN_URL = 2048;

/** An absolute http(s) URL; Stripe's `{CHECKOUT_SESSION_ID}` template may appear in it. */
function IsReturnUrl(): PropertyDecorator {
  return ValidateBy({
    name: 'isReturnUrl',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string') return false;
        try {
          const url = new URL(value);
          return (
            (url.protocol === 'https:' || url.protocol === 'http:') &&
            url.hostname.length > 0 &&
            url.username === '' &&
            url.password === ''
          );
        } catch {
          return false;
        }
      },
      defaultMessage: buildMessage(() => 'must be an absolute http(s) URL'),
    },
  });
}

export class CheckoutSessionRequest {
  @ApiProperty({
    example: 'org:acme',
    description: 'The account the credits go to: 1–128 characters of A–Z a–z 0–9 . _ : @ -',
  })
  @IsString()
  @Matches(ACCOUNT_ID_PATTERN, { message: 'must be 1–128 characters of A–Z a–z 0–9 . _ : @ -' })
  accountId!: string;

  @ApiPropertyOptional({
    example: 'standard',
    description: 'A packId of GET /v1/credit-packs (one of packId, planId)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  packId?: string;

  @ApiPropertyOptional({
    example: 'pro',
    description: 'A planId of GET /v1/plans: Checkout in subscription mode (one of packId, planId)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  planId?: string;

  @ApiPropertyOptional({
    description:
      'A pack only: save the payment method for auto top-up (Stripe setup_future_usage=off_session; Checkout shows the consent)',
  })
  @IsOptional()
  @IsBoolean()
  saveForAutoTopUp?: boolean;

  @ApiProperty({
    enum: UI_MODES,
    description:
      "embedded: Stripe's embedded Checkout (answers clientSecret); hosted: a Stripe-hosted page (answers url)",
  })
  @IsIn(UI_MODES)
  uiMode!: UiMode;

  @ApiPropertyOptional({
    maxLength: MAX_RETURN_URL,
    example: 'https://app.example.com/billing/done?session_id={CHECKOUT_SESSION_ID}',
    description:
      'Where Stripe sends the customer back. Required for hosted. Embedded without it never redirects (the page reacts to onComplete).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_RETURN_URL)
  @IsReturnUrl()
  returnUrl?: string;
}

export class CheckoutSessionResponse {
  @ApiProperty({ example: 'cs_test_a1b2c3' })
  sessionId!: string;

  @ApiPropertyOptional({ description: 'embedded: pass to Stripe.js initEmbeddedCheckout' })
  clientSecret?: string;

  @ApiPropertyOptional({ description: 'hosted: redirect the customer here' })
  url?: string;
}

export class MoneyDto {
  @ApiProperty({ example: 1000, description: 'Minor units (cents)' })
  minor!: number;

  @ApiProperty({ example: 'USD' })
  currency!: string;
}

export class CheckoutSessionDto {
  @ApiProperty({ example: 'cs_test_a1b2c3' })
  sessionId!: string;

  @ApiProperty({
    enum: ['open', 'complete', 'expired', 'failed'],
    description: 'failed: a delayed payment failed; expired: abandoned or timed out',
  })
  status!: string;

  @ApiProperty({ nullable: true, type: String, example: 'standard' })
  packId!: string | null;

  @ApiProperty({ nullable: true, type: MoneyDto })
  amount!: MoneyDto | null;

  @ApiProperty({
    nullable: true,
    type: Number,
    example: 275,
    description:
      'What the session grants (credits + bonus), fixed at checkout; null for sessions from before the editable catalog',
  })
  credits!: number | null;

  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'The catalog revision whose pack the session sells',
  })
  catalogRevision!: number | null;

  @ApiProperty({ example: '2026-11-30T09:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ example: '2026-11-30T09:30:00.000Z' })
  updatedAt!: string;
}

export class CheckoutSessionsPageResponse {
  @ApiProperty({ type: [CheckoutSessionDto] })
  data!: CheckoutSessionDto[];
}
