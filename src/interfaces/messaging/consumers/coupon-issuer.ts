import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { IssueCoupon } from '../../../application/coupon-campaign/issue-coupon/issue-coupon.js';
import {
  COUPON_ISSUE_REQUESTED_TOPIC,
  type CouponIssueRequestedPayload,
} from '../../../application/coupon-campaign/issue-requests/coupon-issue-requested-message.js';
import type {
  InboundMessage,
  MessageConsumer,
} from '../../../application/shared/messaging/message-consumer.js';
import { parseEventEnvelope } from '../event-envelope-parser.js';

const couponIssueRequestedPayload = z.looseObject({
  requestId: z.string().min(1),
  campaignId: z.int().positive(),
  userId: z.int().positive(),
  position: z.int().positive(),
}) satisfies z.ZodType<Pick<CouponIssueRequestedPayload, 'requestId' | 'campaignId' | 'userId' | 'position'>>;

/**
 * The coupon-issuer consumer group: issues the coupons of the rush, one request at a time. All requests of
 * a campaign share its key, so they reach one consumer in queue order, and the campaign's row lock is
 * never fought over.
 *
 * No IdempotentReceiver here: IssueCoupon is idempotent by its business key (campaign, user). A redelivered
 * request finds the user's coupon and records the same outcome again, so an inbox of event ids would add
 * a write per request and catch nothing more.
 */
@injectable()
export class CouponIssuer implements MessageConsumer {
  readonly groupId = 'coupon-issuer';
  readonly topic = COUPON_ISSUE_REQUESTED_TOPIC;

  constructor(@inject(IssueCoupon) private readonly issueCoupon: IssueCoupon) {}

  async handle(message: InboundMessage): Promise<void> {
    const { payload } = parseEventEnvelope(message.value, couponIssueRequestedPayload);
    await this.issueCoupon.execute({
      requestId: payload.requestId,
      campaignId: payload.campaignId,
      userId: payload.userId,
      position: payload.position,
    });
  }
}
