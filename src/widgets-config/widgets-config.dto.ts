import { ApiProperty } from '@nestjs/swagger';

export class WidgetsConfigResponse {
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'pk_test_51Abc',
    description:
      'STRIPE_PUBLISHABLE_KEY, for Stripe.js in the browser; null when not configured (the purchase modal then says payments are unavailable)',
  })
  stripePublishableKey!: string | null;

  @ApiProperty({
    example: 100,
    description: 'LOW_BALANCE_THRESHOLD: the widgets show the low-balance banner below it',
  })
  lowBalanceThreshold!: number;
}
