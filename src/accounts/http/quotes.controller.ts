import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AcceptsCustomerToken } from '../../http/auth/customer-access';
import { RequireScope } from '../../http/auth/scopes.decorator';
import { AccountRoute, BodyRoute, LimitPerKey } from '../../http/route-docs';
import { AccountIdPipe } from '../../http/validation/path-id.pipes';
import { CreateQuote } from '../pricing/create-quote.command';
import type { QuoteAnswer } from '../pricing/quote-answer';
import { QuoteRequest } from './dto/requests';
import { QuoteResponse } from './dto/responses';

@ApiTags('quotes')
@AccountRoute()
@Controller('v1/accounts/:accountId/quotes')
export class QuotesController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @RequireScope('spend')
  @AcceptsCustomerToken()
  @BodyRoute()
  // It hands out a quote a spend can pay, so it counts as a write against the per-key limit.
  @LimitPerKey()
  @ApiOperation({
    summary: 'Price an operation for this account, and say whether it can run now. No ledger event',
    description:
      'Priced at the current rate card; available, sufficient, balanceAfter and lowBalance are read like `check` ' +
      '(strongly consistent). A spend or reservation naming the quoteId pays exactly these credits, once, before ' +
      'expiresAt (QUOTE_TTL_SECONDS).',
  })
  @ApiCreatedResponse({ type: QuoteResponse })
  @ApiResponse({ status: 404, description: 'operation_not_found: no such operation on the card' })
  create(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Body() body: QuoteRequest,
  ): Promise<QuoteAnswer> {
    return this.commandBus.execute(
      new CreateQuote(accountId, {
        operation: body.operation,
        ...(body.quantity != null && { quantity: body.quantity }),
        ...(body.dimensions != null && { dimensions: body.dimensions }),
      }),
    );
  }
}
