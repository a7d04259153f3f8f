import type { FastBodyCheck } from '../../../http/validation/fast-body-check';
import { MAX_OPERATION_ID } from './charge-fields';
import { isPlainDimensions, isPlainObject, isQuantity, isShortString } from './plain-values';
import { QuoteRequest } from './requests';

/**
 * The quote body `{ operation, quantity?, dimensions? }`, every value plainly valid, without
 * class-validator (about 5 % of the server's CPU per quote). Anything else returns null and takes
 * the full validation, so every error still comes from the validation pipe and QuoteRequest.
 */
export const checkQuoteRequest: FastBodyCheck<QuoteRequest> = (body) => {
  if (!isPlainObject(body)) return null;
  for (const key in body) {
    if (key !== 'operation' && key !== 'quantity' && key !== 'dimensions') return null;
  }
  const { operation, quantity, dimensions } = body;
  if (!isShortString(operation, MAX_OPERATION_ID)) return null;
  const request = new QuoteRequest();
  request.operation = operation as string;
  if (Object.hasOwn(body, 'quantity')) {
    if (!isQuantity(quantity)) return null;
    request.quantity = quantity;
  }
  if (Object.hasOwn(body, 'dimensions')) {
    if (!isPlainDimensions(dimensions)) return null;
    request.dimensions = { ...dimensions };
  }
  return request;
};
