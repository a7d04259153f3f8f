import { Body, Controller, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiCreatedResponse,
  ApiOperation,
  ApiProperty,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import type { AuthenticatedRequest } from '../../../http/auth/api-key.guard';
import { RequireScope } from '../../../http/auth/scopes.decorator';
import { actorOf } from '../../../http/request-context';
import { AuthenticatedRoute, BodyRoute, LimitPerKey } from '../../../http/route-docs';
import { ACCOUNT_ID_PATTERN } from '../../../ledger/limits';
import { RegisterReferral, type RegisteredReferral } from '../commands/register-referral';

const ACCOUNT_ID_MESSAGE = 'must be an account id (1–128 characters of A–Z a–z 0–9 . _ : @ -)';

export class RegisterReferralRequest {
  @ApiProperty({ example: 'user:alice' })
  @IsString()
  @Matches(ACCOUNT_ID_PATTERN, { message: ACCOUNT_ID_MESSAGE })
  referrer!: string;

  @ApiProperty({ example: 'user:bob' })
  @IsString()
  @Matches(ACCOUNT_ID_PATTERN, { message: ACCOUNT_ID_MESSAGE })
  referee!: string;
}

export class ReferralResponse {
  @ApiProperty() referrer!: string;
  @ApiProperty() referee!: string;
  @ApiProperty({ description: 'Credits each side gets at the referee’s first purchase' })
  credits!: number;
  @ApiProperty({ enum: ['pending'] }) status!: 'pending';
  @ApiProperty({ format: 'date-time' }) registeredAt!: string;
}

/** Referrals (PRODUCT.md §2, docs/programs.md "Referrals"). */
@ApiTags('referrals')
@AuthenticatedRoute()
@Controller('v1/referrals')
export class ReferralsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @RequireScope('grant')
  @BodyRoute()
  @LimitPerKey()
  @ApiOperation({
    summary:
      'Register a referral: both get REFERRAL_CREDITS when the referee’s first purchase lands',
    description:
      'Once per referee, ever. The credits land once each, even if that purchase is refunded later; a referee ' +
      'who had already bought before the referral never pays one out.',
  })
  @ApiCreatedResponse({ type: ReferralResponse })
  @ApiResponse({ status: 400, description: 'validation_failed (also: referee equals referrer)' })
  @ApiResponse({ status: 409, description: 'referral_exists: the referee already has a referral' })
  register(
    @Body() body: RegisterReferralRequest,
    @Req() request: AuthenticatedRequest,
  ): Promise<RegisteredReferral> {
    return this.commandBus.execute(
      new RegisterReferral(body.referrer, body.referee, actorOf(request).id),
    );
  }
}
