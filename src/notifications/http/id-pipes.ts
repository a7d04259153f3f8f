import { PathIdPipe } from '../../http/validation/path-id.pipes';

/** The ids of the webhook routes' paths: a bad one is a 400 naming the parameter. */
export const EndpointIdPipe = new PathIdPipe(
  'id',
  /^ep_[A-Za-z0-9_-]{1,64}$/,
  'is not a webhook endpoint id',
);
export const DeliveryIdPipe = new PathIdPipe(
  'deliveryId',
  /^dlv_[A-Za-z0-9_-]{1,64}$/,
  'is not a delivery id',
);
