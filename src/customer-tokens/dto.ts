import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_CUSTOMER_TOKEN_TTL_SECONDS } from '../config/load-config';

export class CustomerTokenRequest {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_CUSTOMER_TOKEN_TTL_SECONDS,
    example: 900,
    description: 'Lifetime in seconds (default CUSTOMER_TOKEN_TTL_SECONDS, 900; at most a day)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_CUSTOMER_TOKEN_TTL_SECONDS)
  ttlSeconds?: number;
}

export class CustomerTokenResponse {
  @ApiProperty({
    example: 'ct1.b3JnOmFjbWU.1767225600.Xj3…',
    description:
      'Send as "Authorization: Bearer <token>" (or `?token=` on the balance stream). Opaque; a secret: never log it',
  })
  token!: string;

  @ApiProperty({ example: '2026-03-01T12:15:00.000Z', format: 'date-time' })
  expiresAt!: string;
}
