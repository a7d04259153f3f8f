import { ApiProperty } from '@nestjs/swagger';

/** An account's auto top-up, as GET and PUT /v1/accounts/{id}/auto-top-up answer it. */
export class AutoTopUpResponse {
  @ApiProperty({ example: 'user:42' })
  accountId!: string;

  @ApiProperty({ description: 'False until turned on (and after too many failures in a row)' })
  enabled!: boolean;

  @ApiProperty({
    example: 100,
    description:
      'Top up when available credits fall below this; before any PUT, LOW_BALANCE_THRESHOLD',
  })
  threshold!: number;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'standard',
    description:
      'The pack charged; before any PUT, the popular pack on sale (else the first on sale, else null)',
  })
  packId!: string | null;

  @ApiProperty({ example: 0, description: 'Failed auto top-ups in a row' })
  consecutiveFailures!: number;

  @ApiProperty({
    description:
      'A payment method is saved for auto top-up (a pack Checkout with saveForAutoTopUp: true); without one, turning it on is 409 no_payment_method',
  })
  hasPaymentMethod!: boolean;
}
