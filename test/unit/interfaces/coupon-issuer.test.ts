import { describe, expect, it } from '@jest/globals';
import { ZodError } from 'zod';
import { COUPON_ISSUE_REQUESTED_TOPIC } from '../../../src/application/coupon-campaign/issue-requests/coupon-issue-requested-message.js';
import type { InboundMessage } from '../../../src/application/shared/messaging/message-consumer.js';
import { CouponIssuer } from '../../../src/interfaces/messaging/consumers/coupon-issuer.js';
import { aCouponCampaign } from '../../support/builders.js';
import { issueCouponFixture } from '../../support/issue-coupon-fixture.js';

function issueRequested(payload: Record<string, unknown>): InboundMessage {
  return {
    topic: COUPON_ISSUE_REQUESTED_TOPIC,
    partition: 0,
    offset: '0',
    key: '1',
    headers: {},
    timestamp: '0',
    value: JSON.stringify({
      eventId: 'request-a',
      type: 'coupon.issue-requested',
      version: 1,
      occurredAt: '2026-11-21T09:00:00.000Z',
      payload,
    }),
  };
}

const payload = {
  requestId: 'request-a',
  campaignId: 1,
  userId: 101,
  position: 1,
  requestedAt: '2026-11-21T09:00:00.000Z',
};

describe('CouponIssuer (consumer group coupon-issuer)', () => {
  const issuer = () => {
    const fixture = issueCouponFixture({ campaigns: [aCouponCampaign().withId(1).withQuantity(1).build()] });
    return { ...fixture, consumer: new CouponIssuer(fixture.issueCoupon) };
  };

  it('reads the issue-requested topic in its own group', () => {
    const { consumer } = issuer();

    expect([consumer.groupId, consumer.topic]).toEqual([
      'coupon-issuer',
      'outside.coupon.issue-requested.v1',
    ]);
  });

  it('issues the coupon the message asks for, and again gives the same one when it is redelivered', async () => {
    const { consumer, coupons, statuses } = issuer();

    await consumer.handle(issueRequested(payload));
    await consumer.handle(issueRequested(payload));

    expect(coupons.rows.size).toBe(1);
    expect(statuses.recorded).toEqual([
      { requestId: 'request-a', outcome: { status: 'ISSUED', couponId: 1 } },
      { requestId: 'request-a', outcome: { status: 'ISSUED', couponId: 1 } },
    ]);
  });

  it('refuses a payload it cannot read, and issues nothing', async () => {
    const { consumer, coupons } = issuer();

    await expect(consumer.handle(issueRequested({ ...payload, userId: 'someone' }))).rejects.toThrow(
      ZodError,
    );
    expect(coupons.rows.size).toBe(0);
  });
});
