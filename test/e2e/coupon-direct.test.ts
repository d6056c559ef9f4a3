import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startTestService, type TestService } from '../support/test-service.js';

// COUPON_QUEUE=direct, the "before" design the benchmark measures: no queue, the coupon is issued inside
// the HTTP request under the campaign's row lock.
describe('COUPON_QUEUE=direct (the anti-pattern, embedded)', () => {
  let shop: TestService;
  let smallCampaign: { id: number; quantity: number };

  beforeAll(async () => {
    shop = await startTestService({ COUPON_QUEUE: 'direct' });
    const campaigns = (await request(shop.http).get('/coupon-campaigns').expect(200)).body as Array<{
      id: number;
      quantity: number;
      open: boolean;
    }>;
    smallCampaign = campaigns.find((campaign) => campaign.quantity === 10 && campaign.open)!;
  });
  afterAll(() => shop.stop());

  it('issues in the request: 201 ISSUED with the coupon, then 409 CAMPAIGN_SOLD_OUT once none are left', async () => {
    const users = Array.from({ length: 12 }, (_, index) => 500 + index);

    const answers = await Promise.all(
      users.map((userId) =>
        request(shop.http).post(`/coupon-campaigns/${smallCampaign.id}/issue-requests`).send({ userId }),
      ),
    );

    const issued = answers.filter((answer) => answer.status === 201);
    expect(issued).toHaveLength(10);
    expect(issued.map((answer) => answer.body)).toEqual(
      issued.map(() => expect.objectContaining({ status: 'ISSUED', couponId: expect.any(Number) })),
    );
    expect(new Set(issued.map((answer) => answer.body.couponId)).size).toBe(10);
    const refused = answers.filter((answer) => answer.status !== 201);
    expect(refused.map((answer) => [answer.status, answer.body.error.code])).toEqual([
      [409, 'CAMPAIGN_SOLD_OUT'],
      [409, 'CAMPAIGN_SOLD_OUT'],
    ]);
  });

  it('warns at start that this is the anti-pattern, and runs no scheduler', () => {
    expect(shop.logs).toContainEqual(
      expect.objectContaining({ msg: expect.stringContaining('COUPON_QUEUE=direct is the anti-pattern') }),
    );
    expect(shop.logs.map((line) => line.msg)).not.toContain('issue request scheduler started');
  });
});
