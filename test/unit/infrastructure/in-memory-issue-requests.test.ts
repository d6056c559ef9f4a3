import { describe } from '@jest/globals';
import { InMemoryIssueRequestQueue } from '../../../src/infrastructure/key-value/in-memory/in-memory-issue-request-queue.js';
import { InMemoryIssueRequestStatuses } from '../../../src/infrastructure/key-value/in-memory/in-memory-issue-request-statuses.js';
import { SystemClock } from '../../../src/infrastructure/time/system-clock.js';
import { itBehavesLikeAnIssueRequestQueue } from '../../support/contracts/issue-request-queue-contract.js';
import { itBehavesLikeIssueRequestStatuses } from '../../support/contracts/issue-request-statuses-contract.js';

describe('InMemoryIssueRequestQueue', () => {
  itBehavesLikeAnIssueRequestQueue(async () => new InMemoryIssueRequestQueue(new SystemClock()));
});

describe('InMemoryIssueRequestStatuses', () => {
  itBehavesLikeIssueRequestStatuses(async () => new InMemoryIssueRequestStatuses());
});
