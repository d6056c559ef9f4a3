import { Router } from 'express';
import type { GetIssueRequest } from '../../../application/coupon-campaign/get-issue-request/get-issue-request.js';
import type { IssueCouponDirectly } from '../../../application/coupon-campaign/issue-coupon-directly/issue-coupon-directly.js';
import type { ListCouponCampaigns } from '../../../application/coupon-campaign/list-coupon-campaigns/list-coupon-campaigns.js';
import type { RequestCoupon } from '../../../application/coupon-campaign/request-coupon/request-coupon.js';
import { methodNotAllowed } from '../error-handler.js';
import { parseRequest } from '../request-validation.js';
import { campaignIdParam, issueRequestBody, issueRequestIdParam } from './coupon-campaign-requests.js';

export interface CouponCampaignsUseCases {
  readonly listCouponCampaigns: ListCouponCampaigns;
  readonly requestCoupon: RequestCoupon;
  readonly getIssueRequest: GetIssueRequest;
  /**
   * Set with COUPON_QUEUE=direct only: the "before" design the benchmark measures, the coupon issued
   * inside the request under the campaign's row lock.
   */
  readonly issueCouponDirectly?: IssueCouponDirectly | undefined;
}

export function couponCampaignsRouter(useCases: CouponCampaignsUseCases): Router {
  const router = Router();

  router
    .route('/coupon-campaigns')
    .get(async (_request, response) => {
      response.json(await useCases.listCouponCampaigns.execute());
    })
    .all(methodNotAllowed('GET'));

  router
    .route('/coupon-campaigns/:id/issue-requests')
    .post(async (request, response) => {
      const campaignId = parseRequest(campaignIdParam, request.params['id'], 'id');
      const { userId } = parseRequest(issueRequestBody, request.body, 'body');
      const { issueCouponDirectly } = useCases;
      if (issueCouponDirectly) {
        const issued = await issueCouponDirectly.execute({ campaignId, userId });
        response.status(201).json({ ...issued, status: 'ISSUED' });
        return;
      }
      const issueRequest = await useCases.requestCoupon.execute({ campaignId, userId });
      // 202: the user has a place in line; the coupon is decided later. The Location tells where to ask.
      response
        .status(202)
        .location(`/coupon-campaigns/${campaignId}/issue-requests/${issueRequest.requestId}`)
        .json(issueRequest);
    })
    .all(methodNotAllowed('POST'));

  router
    .route('/coupon-campaigns/:id/issue-requests/:requestId')
    .get(async (request, response) => {
      const campaignId = parseRequest(campaignIdParam, request.params['id'], 'id');
      const requestId = parseRequest(issueRequestIdParam, request.params['requestId'], 'requestId');
      response.json(await useCases.getIssueRequest.execute({ campaignId, requestId }));
    })
    .all(methodNotAllowed('GET'));

  return router;
}
