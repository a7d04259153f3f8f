import { problem, validationProblem, type Problem } from '../../http/errors/problem';
import { mapError, type ProblemMappings } from '../../http/errors/problem-mapping';
import type { PricingRefusal } from '../../pricing/rate-card/price';
import {
  CaptureOverHoldError,
  HoldNotPricedError,
  PricingRefusedError,
  QuoteNotFoundError,
} from '../pricing/errors';

/**
 * Quotes and spending by operation, as problems (registered by AccountsModule). A dimension is
 * named as the field it came in (`dimensions.resolution`), so a client can show it beside the input.
 */
export const PRICED_CHARGE_PROBLEMS: ProblemMappings = [
  mapError(PricingRefusedError, (error) => pricingRefusalProblem(error.refusal)),
  mapError(QuoteNotFoundError, (error) =>
    problem('not_found', `No quote ${error.quoteId} on this account`),
  ),
  mapError(HoldNotPricedError, (error) =>
    validationProblem([
      {
        field: 'quantity',
        message: `reservation ${error.reservationId} was not made by operation: capture credits instead`,
      },
    ]),
  ),
  mapError(CaptureOverHoldError, (error) =>
    validationProblem([
      {
        field: 'quantity',
        message: `costs ${error.credits} credits at the hold's rate card version; reservation ${error.reservationId} holds ${error.held}`,
      },
    ]),
  ),
];

function pricingRefusalProblem(refusal: PricingRefusal): Problem {
  switch (refusal.code) {
    case 'operation_not_found':
      return problem(
        'operation_not_found',
        `No operation ${refusal.operation} on the current rate card`,
        { operation: refusal.operation },
      );
    case 'dimension_missing':
      return validationProblem([
        { field: `dimensions.${refusal.dimension}`, message: 'is required by this operation' },
      ]);
    case 'dimension_value_unknown':
      return validationProblem([
        {
          field: `dimensions.${refusal.dimension}`,
          message: `"${refusal.value}" is not a value this operation prices`,
        },
      ]);
    case 'dimension_not_priced':
      return validationProblem([
        {
          field: `dimensions.${refusal.dimension}`,
          message: 'is not a dimension of this operation',
        },
      ]);
    case 'price_too_large':
      return validationProblem([
        {
          field: 'quantity',
          message: `prices the operation above ${refusal.limit} credits, the most one charge may be`,
        },
      ]);
  }
}
