import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ACCOUNT_ID_PATTERN } from '../../ledger/limits';
import { IsCredits } from '../../http/validation/ledger-validators';
import { PathIdPipe } from '../../http/validation/path-id.pipes';

const ACCOUNT_ID_MESSAGE = 'must be 1–128 characters of A–Z a–z 0–9 . _ : @ -, and not . or ..';
export const MAX_TRANSFER_REASON = 500;

export const TransferIdPipe = new PathIdPipe(
  'transferId',
  /^[A-Za-z0-9._:@-]{1,200}$/,
  'is not a transfer id',
);

export class TransferRequestBody {
  @ApiProperty({ example: 'user:ann', description: 'The account the credits leave' })
  @IsString()
  @Matches(ACCOUNT_ID_PATTERN, { message: ACCOUNT_ID_MESSAGE })
  from!: string;

  @ApiProperty({ example: 'user:bob', description: 'The account the credits go to' })
  @IsString()
  @Matches(ACCOUNT_ID_PATTERN, { message: ACCOUNT_ID_MESSAGE })
  to!: string;

  @IsCredits()
  credits!: number;

  @ApiProperty({ example: 'birthday gift', maxLength: MAX_TRANSFER_REASON })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TRANSFER_REASON)
  reason!: string;
}

export class TransferQuery {
  @ApiPropertyOptional({ description: 'Wait until the transfers projection passed this position' })
  @IsOptional()
  @IsString()
  after?: string;
}

export class TransferResponse {
  @ApiProperty() transferId!: string;
  @ApiProperty({ enum: ['pending', 'completed', 'returned'] }) status!: string;
  @ApiProperty() credits!: number;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ description: "The source account's revision after the transfer left it" })
  revision!: number;
  @ApiProperty({
    description: 'Global log position of the last step written: pass it as ?after= to GET',
  })
  position!: string | null;
}

export class TransferStatusResponse {
  @ApiProperty() transferId!: string;
  @ApiProperty({ enum: ['pending', 'completed', 'returned'] }) status!: string;
  @ApiProperty() credits!: number;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ enum: ['transfer', 'merge'] }) purpose!: string;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ['account_closed', 'balance_limit'] })
  declinedReason!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
