import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class Money {
  @ApiProperty({ type: 'integer' }) minor!: number;
  @ApiProperty() currency!: string;
}

export class BlockResponse {
  @ApiProperty() blockId!: string;
  @ApiProperty({ enum: ['paid', 'promotional'] }) category!: string;
  @ApiProperty({ type: 'integer' }) credits!: number;
  @ApiProperty({ type: 'integer' }) remaining!: number;
  @ApiProperty({ format: 'date-time' }) grantedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expiresAt!: string | null;
  @ApiPropertyOptional({ type: Money }) costBasis?: Money;
}

export class BalanceResponse {
  @ApiProperty() accountId!: string;
  @ApiProperty({ type: 'integer' }) balance!: number;
  @ApiProperty({ type: 'integer' }) available!: number;
  @ApiProperty({ type: 'integer' }) reserved!: number;
  @ApiProperty({ type: [BlockResponse] }) blocks!: BlockResponse[];
  @ApiProperty({
    type: 'integer',
    description: 'Stream revision; -1 for an account with no events',
  })
  revision!: number;
}

export class CheckResponse {
  @ApiProperty() sufficient!: boolean;
  @ApiProperty({ type: 'integer' }) available!: number;
  @ApiProperty({ type: 'integer' }) balance!: number;
}

/** Fields every write answer carries. */
export class WriteResponse {
  @ApiProperty({ type: 'integer' }) balance!: number;
  @ApiProperty({ type: 'integer' }) available!: number;
  @ApiProperty({ type: 'integer' }) reserved!: number;
  @ApiProperty({ type: 'integer', description: "The account's stream revision after the write" })
  revision!: number;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Opaque global log position; pass as ?after= to read your write',
  })
  position!: string | null;
}

export class SpendResponse extends WriteResponse {
  @ApiProperty() spendId!: string;
  @ApiProperty({ type: 'integer' }) credits!: number;
}

export class RefundResponse extends WriteResponse {
  @ApiProperty() refundId!: string;
  @ApiProperty() spendId!: string;
  @ApiProperty({ type: 'integer' }) credits!: number;
}

export class GrantResponse extends WriteResponse {
  @ApiProperty() blockId!: string;
  @ApiProperty({ type: 'integer' }) credits!: number;
}

export class PurchaseResponse extends WriteResponse {
  @ApiProperty() accountId!: string;
  @ApiProperty() purchaseId!: string;
  @ApiProperty() blockId!: string;
  @ApiProperty({ type: 'integer' }) credits!: number;
  @ApiProperty({ type: 'integer', description: "What was paid, in the currency's minor unit" })
  amountPaid!: number;
  @ApiProperty({ example: 'USD' }) currency!: string;
}

export class ReservationResponse extends WriteResponse {
  @ApiProperty() reservationId!: string;
  @ApiProperty({ type: 'integer' }) credits!: number;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

export class CaptureResponse extends WriteResponse {
  @ApiProperty() reservationId!: string;
  @ApiProperty() spendId!: string;
  @ApiProperty({ type: 'integer' }) credits!: number;
  @ApiProperty({ type: 'integer', description: 'Held credits given back' }) released!: number;
}

export class ReleaseResponse extends WriteResponse {
  @ApiProperty() reservationId!: string;
  @ApiProperty({ type: 'integer' }) released!: number;
}
