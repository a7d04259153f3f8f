import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../../http/auth/scopes.decorator';
import { AuthenticatedRoute } from '../../http/route-docs';
import { type VerifyAnswer, VerifyLedger } from '../queries/verify-ledger.query';
import { VerifyRequest, VerifyResponse } from './dto';

/** `ledger verify` over HTTP: read only, so a query, though a POST (it is work, not a resource). */
@ApiTags('audit')
@AuthenticatedRoute()
@Controller('v1/verify')
export class VerifyController {
  constructor(private readonly queryBus: QueryBus) {}

  @Post()
  @HttpCode(200)
  @RequireScope('finance')
  @ApiOperation({
    summary:
      'Compare the read models with a fresh fold of the streams, as `ledger verify` (finance)',
    description:
      'One account, or every account when there are at most 10,000 (else 422 verify_too_large: run `ledger verify`). ' +
      'One verify at a time per instance (503 with Retry-After otherwise).',
  })
  @ApiResponse({ status: 400, description: 'validation_failed, errors[] naming each bad field' })
  @ApiResponse({
    status: 422,
    description: 'verify_too_large: more than VERIFY_HTTP_MAX_ACCOUNTS accounts; run ledger verify',
  })
  @ApiOkResponse({ type: VerifyResponse })
  verify(@Body() body: VerifyRequest): Promise<VerifyAnswer> {
    return this.queryBus.execute(new VerifyLedger(body.accountId ?? null));
  }
}
