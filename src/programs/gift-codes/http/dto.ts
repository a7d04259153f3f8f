import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ACCOUNT_ID_PATTERN } from '../../../ledger/limits';
import { IsCredits, IsInstant } from '../../../http/validation/ledger-validators';

/** Codes one mint may create (API.md: up to 1,000 per call). */
export const MAX_CODES_PER_MINT = 1_000;

export class MintGiftCodesRequest {
  @IsCredits({ description: 'Credits each code is worth', example: 100 })
  credits!: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_CODES_PER_MINT, default: 1 })
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(MAX_CODES_PER_MINT, { message: `must be at most ${MAX_CODES_PER_MINT}` })
  count?: number;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'After this, the code is refused (410)',
  })
  @IsOptional()
  @IsInstant()
  expiresAt?: string;

  @ApiPropertyOptional({
    example: 'org:acme',
    description:
      'The account paying for the codes: their credits leave it now, into escrow, and each receiver gets ' +
      'the categories and expiries they had. Absent: promotional credits minted for the codes.',
  })
  @IsOptional()
  @IsString()
  @Matches(ACCOUNT_ID_PATTERN, { message: 'must be an account id' })
  fundedBy?: string;
}

export class MintedGiftCodeDto {
  @ApiProperty({
    example: 'K7Q2M-9XH4D-PZ3WA-1BC8R',
    description: 'Shown once: only its hash is kept',
  })
  code!: string;
  @ApiProperty() credits!: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expiresAt!: string | null;
}

export class MintGiftCodesResponse {
  @ApiProperty({ type: [MintedGiftCodeDto] }) data!: MintedGiftCodeDto[];
  @ApiProperty() mintId!: string;
  @ApiProperty({ nullable: true, type: String }) fundedBy!: string | null;
}

export class RedeemGiftCodeRequest {
  @ApiProperty({ example: 'K7Q2M-9XH4D-PZ3WA-1BC8R', description: 'Case and dashes do not matter' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  code!: string;
}

export class GiftBlockDto {
  @ApiProperty() blockId!: string;
  @ApiProperty() credits!: number;
  @ApiProperty({ enum: ['paid', 'promotional'] }) category!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expiresAt!: string | null;
}

export class RedeemGiftCodeResponse {
  @ApiProperty() credits!: number;
  @ApiProperty() balance!: number;
  @ApiProperty() available!: number;
  @ApiProperty({ type: [GiftBlockDto], description: 'The blocks received (source gift)' })
  blocks!: GiftBlockDto[];
  @ApiProperty() revision!: number;
  @ApiProperty({ nullable: true, type: String }) position!: string | null;
}
