import type { ChargeRequest } from '../pricing/charge';

/** The part of a spend or hold body that names what to pay, when it is not plain credits. */
export function chargeRequestOf(body: {
  operation?: string;
  quantity?: number;
  dimensions?: Record<string, string>;
  quoteId?: string;
}): ChargeRequest {
  if (body.quoteId != null) return { quoteId: body.quoteId };
  return {
    operation: body.operation!,
    ...(body.quantity != null && { quantity: body.quantity }),
    ...(body.dimensions != null && { dimensions: body.dimensions }),
  };
}
