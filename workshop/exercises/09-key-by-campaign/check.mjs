import { skipOldRecords } from '../../../scripts/support/order-topic.mjs';

const TOPIC = 'outside.coupon.issue-requested.v1';
const ISSUER_GROUP = 'coupon-issuer';
/** The demo data's "First 10" campaign. */
const CAMPAIGN_ID = 3;
const USERS = 60;
const FIRST_USER = 11;

export const exercise = {
  title: 'Key the coupon requests by campaign',
  startsFrom: 'the scheduler keys each request by its own id',
  async check(t) {
    t.build();
    await t.skipOldOrderEvents();
    // Requests of earlier runs belong to other databases: the issuer starts at the end of the topic.
    await skipOldRecords(t.admin, TOPIC, [ISSUER_GROUP]);
    const app = await t.startApp({ COUPON_QUEUE: 'in-memory' });
    t.pass('the app started with EVENT_PUBLISHER=kafka and the in-memory waiting line');

    const { body: campaigns } = await app.get('/coupon-campaigns');
    const campaign = campaigns.find(({ id }) => id === CAMPAIGN_ID);
    if (campaign === undefined) t.fail(`GET /coupon-campaigns has no campaign ${CAMPAIGN_ID}`);
    const before = await t.logEndOffsets(TOPIC);

    const answers = await Promise.all(
      Array.from({ length: USERS }, (_, index) =>
        app.post(`/coupon-campaigns/${CAMPAIGN_ID}/issue-requests`, { userId: FIRST_USER + index }),
      ),
    );
    const refused = answers.find(({ status }) => status !== 202);
    if (refused) t.fail(`POST …/issue-requests answered ${refused.status}: ${JSON.stringify(refused.body)}`);
    const requests = answers.map(({ body }) => body).sort((a, b) => a.position - b.position);
    t.pass(
      `${USERS} users asked for campaign ${CAMPAIGN_ID}'s ${campaign.quantity} coupons at once: ${USERS} × 202`,
    );

    let views = [];
    const outcomes = await t.waitFor(async () => {
      views = await Promise.all(
        requests.map(async ({ requestId }) => {
          const { body } = await app.get(`/coupon-campaigns/${CAMPAIGN_ID}/issue-requests/${requestId}`);
          return body;
        }),
      );
      return views.every(({ status }) => status === 'ISSUED' || status === 'SOLD_OUT') ? views : undefined;
    });
    if (outcomes === undefined) {
      const waiting = views.filter(({ status }) => status === 'WAITING').length;
      t.fail(
        `${waiting} of the ${USERS} requests were still WAITING after 20 s: the ${ISSUER_GROUP} group did not issue them`,
        `does the app log "coupon issued"? Another app in the ${ISSUER_GROUP} group (an npm start of yours) takes
partitions from the checker's: stop it.`,
      );
    }

    const ours = new Set(requests.map(({ requestId }) => requestId));
    const requestIdOf = (record) => JSON.parse(record.value).payload?.requestId;
    const records = (
      await t.recordsAfter(TOPIC, before, {
        enough: (found) => found.filter((record) => ours.has(requestIdOf(record))).length === USERS,
      })
    ).filter((record) => ours.has(requestIdOf(record)));
    if (records.length < USERS) t.fail(`only ${records.length} of the ${USERS} requests reached ${TOPIC}`);
    const partitions = [...new Set(records.map(({ partition }) => partition))].sort();
    const keys = [...new Set(records.map(({ key }) => key))];

    const issuedPositions = outcomes
      .filter(({ status }) => status === 'ISSUED')
      .map(({ position }) => position)
      .sort((a, b) => a - b);
    const firstPlaces = Array.from({ length: campaign.quantity }, (_, index) => index + 1);
    const unfair = issuedPositions.filter((position) => position > campaign.quantity);
    if (unfair.length > 0 || issuedPositions.length !== campaign.quantity) {
      t.fail(
        `the coupons went to places ${issuedPositions.join(', ')}, not to the first ${campaign.quantity} (${firstPlaces.join(', ')}).
The ${USERS} requests went out with ${keys.length} different keys, over partitions ${partitions.join(', ')}:
the issuer reads each partition in order, but not the partitions in the order of the line.`,
        `choose the message key so that every request of one campaign lands in the same partition. The
scheduler builds the message in
src/application/coupon-campaign/issue-requests/publish-queued-issue-requests.ts. Chapter 11 weighs the choice.`,
      );
    }
    t.pass(
      `the ${campaign.quantity} coupons went to places 1..${campaign.quantity}; the other ${USERS - campaign.quantity} are SOLD_OUT`,
    );

    if (keys.length !== 1 || keys[0] !== String(CAMPAIGN_ID) || partitions.length !== 1) {
      t.fail(
        `the requests went out with keys ${keys.slice(0, 3).join(', ')}${keys.length > 3 ? ', …' : ''} over partitions ${partitions.join(', ')}: the first places won by luck this time`,
        `key every request by its campaign id, "${CAMPAIGN_ID}": one key, one partition, one line`,
      );
    }
    const positionsInOffsetOrder = records
      .sort((a, b) => a.offset - b.offset)
      .map((record) => JSON.parse(record.value).payload.position);
    if (positionsInOffsetOrder.some((position, index) => position !== index + 1)) {
      t.fail(
        `partition ${partitions[0]} holds the requests out of the line's order: ${positionsInOffsetOrder.join(', ')}`,
      );
    }
    t.pass(
      `all ${USERS} records have key "${CAMPAIGN_ID}", in partition ${partitions[0]}, in the line's order`,
    );
  },
};
