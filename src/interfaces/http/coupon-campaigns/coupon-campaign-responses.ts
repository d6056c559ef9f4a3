import { z } from 'zod';
import type { IssuedCouponView } from '../../../application/coupon-campaign/issue-coupon-directly/issue-coupon-directly.js';
import type { IssueRequestView } from '../../../application/coupon-campaign/issue-requests/issue-request-view.js';
import type { CouponCampaignView } from '../../../application/coupon-campaign/list-coupon-campaigns/list-coupon-campaigns.js';

const couponDiscount = z.discriminatedUnion('type', [
  z.object({ type: z.literal('FIXED'), amount: z.int().meta({ description: 'points off' }) }),
  z.object({ type: z.literal('PERCENTAGE'), percent: z.int().min(1).max(100) }),
]);

export const couponCampaignResponse = z.object({
  id: z.int(),
  name: z.string(),
  discount: couponDiscount,
  quantity: z.int().meta({ description: 'coupons the campaign gives, in all' }),
  issuedCount: z.int(),
  remaining: z.int(),
  opensAt: z.iso.datetime(),
  closesAt: z.iso.datetime(),
  open: z.boolean().meta({ description: 'whether it takes requests now' }),
}) satisfies z.ZodType<CouponCampaignView>;

/** A user's place in a campaign's line: WAITING until the coupon-issuer decides, then ISSUED or SOLD_OUT. */
export const issueRequestResponse = z.object({
  requestId: z.uuid(),
  campaignId: z.int(),
  userId: z.int(),
  position: z.int().meta({ description: 'the user’s place in line, from 1' }),
  requestedAt: z.iso.datetime(),
  status: z.enum(['WAITING', 'ISSUED', 'SOLD_OUT']),
  couponId: z.int().nullable().meta({ description: 'once ISSUED: a coupon good for POST /orders' }),
}) satisfies z.ZodType<IssueRequestView>;

/** COUPON_QUEUE=direct only (the benchmark's "before" design): the coupon, issued inside the request. */
export const issuedCouponResponse = z.object({
  status: z.literal('ISSUED'),
  couponId: z.int(),
  campaignId: z.int(),
  userId: z.int(),
  discount: couponDiscount,
  alreadyIssued: z.boolean().meta({ description: 'the user had it already: nothing new was issued' }),
}) satisfies z.ZodType<IssuedCouponView>;
