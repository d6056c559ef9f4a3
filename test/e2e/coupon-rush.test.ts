import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { COUPON_ISSUE_REQUESTED_TOPIC } from '../../src/application/coupon-campaign/issue-requests/coupon-issue-requested-message.js';
import { startTestService, type TestService } from '../support/test-service.js';

// Users 4 to 1,000 of the demo data are there for a rush.
const rushUsers = Array.from({ length: 300 }, (_, index) => 4 + index);

interface CampaignView {
  readonly id: number;
  readonly quantity: number;
  readonly issuedCount: number;
  readonly open: boolean;
}

// The rush as `npm start` serves it (SQLite, in-memory queue and broker, demo data), over HTTP.
describe('the coupon rush, on the embedded default', () => {
  let shop: TestService;
  let rushCampaign: CampaignView;
  let closedCampaign: CampaignView;

  beforeAll(async () => {
    shop = await startTestService();
    const campaigns = (await request(shop.http).get('/coupon-campaigns').expect(200)).body as CampaignView[];
    rushCampaign = campaigns.find((campaign) => campaign.quantity === 50 && campaign.open)!;
    closedCampaign = campaigns.find((campaign) => !campaign.open)!;
  });
  afterAll(() => shop.stop());

  const requestCoupon = (campaignId: number | string, body: unknown) =>
    request(shop.http)
      .post(`/coupon-campaigns/${campaignId}/issue-requests`)
      .send(body as object);
  const issueRequestsPublished = () =>
    shop.publisher.published.filter((record) => record.topic === COUPON_ISSUE_REQUESTED_TOPIC).length;

  it('lists the campaigns with their quantity and coupons issued', async () => {
    expect(rushCampaign).toMatchObject({ quantity: 50, issuedCount: 0, open: true });
  });

  it('gives 50 coupons to the first 50 of 300 users asking at once, and SOLD_OUT to the other 250', async () => {
    const answers = await Promise.all(rushUsers.map((userId) => requestCoupon(rushCampaign.id, { userId })));

    expect(answers.map((answer) => answer.status)).toEqual(rushUsers.map(() => 202));
    for (const answer of answers) {
      expect(answer.headers['location']).toBe(
        `/coupon-campaigns/${rushCampaign.id}/issue-requests/${answer.body.requestId}`,
      );
    }
    const positions = answers.map((answer) => answer.body.position as number).sort((a, b) => a - b);
    expect(positions).toEqual(rushUsers.map((_, index) => index + 1));

    await shop.service.drainEvents();

    const outcomes = await Promise.all(
      answers.map(
        async (answer) => (await request(shop.http).get(answer.headers['location']!).expect(200)).body,
      ),
    );
    const issued = outcomes.filter((outcome) => outcome.status === 'ISSUED');
    const soldOut = outcomes.filter((outcome) => outcome.status === 'SOLD_OUT');
    expect(issued).toHaveLength(50);
    expect(soldOut).toHaveLength(250);
    // In queue order: the first 50 places, each a user of their own with a coupon of their own.
    expect(issued.map((outcome) => outcome.position).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, index) => index + 1),
    );
    expect(new Set(issued.map((outcome) => outcome.userId)).size).toBe(50);
    expect(new Set(issued.map((outcome) => outcome.couponId)).size).toBe(50);
    expect(soldOut.every((outcome) => outcome.couponId === null)).toBe(true);

    // The story, in the log: each request queued, then moved onto the broker in batches of its line.
    expect(shop.logs.filter((line) => line.msg === 'coupon request queued')).toHaveLength(300);
    const batches = shop.logs.filter((line) => line.msg === 'issue requests published');
    expect(batches.reduce((sum, line) => sum + Number(line['count']), 0)).toBe(300);

    const campaigns = (await request(shop.http).get('/coupon-campaigns').expect(200)).body as CampaignView[];
    expect(campaigns.find((campaign) => campaign.id === rushCampaign.id)).toMatchObject({ issuedCount: 50 });

    // An issued coupon is an ordinary coupon: its user can take money off an order with it.
    const { userId, couponId } = issued[0];
    const order = await request(shop.http)
      .post('/orders')
      .send({ userId, items: [{ productId: 1, quantity: 1 }], couponId })
      .expect(201);
    expect(order.body).toMatchObject({ couponId, discountAmount: expect.any(Number) });
    expect(order.body.discountAmount).toBeGreaterThan(0);
  });

  it('answers a user who asks again with their first place, and queues nothing new', async () => {
    const first = await requestCoupon(rushCampaign.id, { userId: 1 }).expect(202);
    const again = await requestCoupon(rushCampaign.id, { userId: 1 }).expect(202);

    expect(again.body).toMatchObject({ requestId: first.body.requestId, position: first.body.position });
    expect(again.headers['location']).toBe(first.headers['location']);
    await shop.service.drainEvents();
    const settled = await request(shop.http).get(first.headers['location']!).expect(200);
    expect(settled.body).toMatchObject({ requestId: first.body.requestId, status: 'SOLD_OUT' });
  });

  it('refuses bad input, unknown campaigns and users, and a closed campaign, with nothing queued', async () => {
    await shop.service.drainEvents();
    const publishedBefore = issueRequestsPublished();

    const refusals = [
      [await requestCoupon('abc', { userId: 1 }), 400, 'VALIDATION_FAILED'],
      [await requestCoupon(rushCampaign.id, { userId: 'one' }), 400, 'VALIDATION_FAILED'],
      [await requestCoupon(rushCampaign.id, { userId: 2, priority: 'high' }), 400, 'VALIDATION_FAILED'],
      [await requestCoupon(9_999, { userId: 1 }), 404, 'CAMPAIGN_NOT_FOUND'],
      [await requestCoupon(rushCampaign.id, { userId: 999_999 }), 404, 'USER_NOT_FOUND'],
      [await requestCoupon(closedCampaign.id, { userId: 1 }), 409, 'CAMPAIGN_CLOSED'],
    ] as const;

    expect(refusals.map(([response]) => [response.status, response.body.error.code])).toEqual(
      refusals.map(([, status, code]) => [status, code]),
    );
    expect(refusals[0][0].body.error.details).toEqual([
      { field: 'id', message: 'must be a campaign id (a positive whole number)' },
    ]);
    expect(refusals[1][0].body.error.details).toEqual([expect.objectContaining({ field: 'userId' })]);
    await shop.service.drainEvents();
    expect(issueRequestsPublished()).toBe(publishedBefore);
  });

  it('knows no request of an unknown id, nor of another campaign', async () => {
    const { body, headers } = await requestCoupon(rushCampaign.id, { userId: 3 }).expect(202);

    await request(shop.http)
      .get(`/coupon-campaigns/${rushCampaign.id}/issue-requests/8a7c2f36-5c5e-4a43-9a1e-0c6f1f1c2b11`)
      .expect(404);
    const otherCampaign = await request(shop.http)
      .get(`/coupon-campaigns/${rushCampaign.id + 1}/issue-requests/${body.requestId}`)
      .expect(404);
    expect(otherCampaign.body.error.code).toBe('ISSUE_REQUEST_NOT_FOUND');
    const notAnId = await request(shop.http)
      .get(`/coupon-campaigns/${rushCampaign.id}/issue-requests/42`)
      .expect(400);
    expect(notAnId.body.error.details).toEqual([
      { field: 'requestId', message: 'must be an issue request id (a UUID)' },
    ]);
    await request(shop.http).get(headers['location']!).expect(200);
  });

  it.each([
    ['PUT', '/coupon-campaigns', 'GET, HEAD'],
    ['GET', '/coupon-campaigns/1/issue-requests', 'POST'],
    ['DELETE', '/coupon-campaigns/1/issue-requests/8a7c2f36-5c5e-4a43-9a1e-0c6f1f1c2b11', 'GET, HEAD'],
  ])('%s %s answers 405 and allows %s', async (method, path, allowed) => {
    const response = await request(shop.http)
      [method.toLowerCase() as 'put' | 'get' | 'delete'](path)
      .expect(405);

    expect(response.headers['allow']).toBe(allowed);
  });
});
