import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuditReport } from '../../audit';
import { RequireScope } from '../../http/auth/scopes.decorator';
import { AccountRoute } from '../../http/route-docs';
import { AccountIdPipe } from '../../http/validation/path-id.pipes';
import { GetAudit } from '../queries/get-audit.query';
import { AuditQuery, AuditReportResponse } from './dto';

/** `ledger audit` over HTTP for the console's Finance page (issue 18). */
@ApiTags('audit')
@AccountRoute()
@Controller('v1/accounts/:accountId')
export class AuditController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('audit')
  @RequireScope('finance')
  @ApiOperation({
    summary: "The account's audit report, as `ledger audit --format json` prints it (finance)",
    description:
      'The timeline (balances after each event, its actor), the blocks with their source, the holds, and every invariant ' +
      'checked. 404 account_not_found without events; 422 stream_too_long past 100,000 events (use the CLI).',
  })
  @ApiResponse({ status: 404, description: 'account_not_found: the account has no events' })
  @ApiResponse({
    status: 422,
    description: 'stream_too_long: more than AUDIT_HTTP_MAX_EVENTS events; run ledger audit',
  })
  @ApiOkResponse({ type: AuditReportResponse })
  audit(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Query() query: AuditQuery,
  ): Promise<AuditReport> {
    const at = query.at === undefined ? undefined : new Date(query.at);
    return this.queryBus.execute(new GetAudit(accountId, at));
  }
}
