import autocannon from 'autocannon';
import { orderBody } from './bench-data.mjs';

/**
 * POST /orders from `connections` keep-alive connections (autocannon, closed loop: each connection sends
 * its next order when the last one answered), for `seconds` or `maxRequests`, whichever ends first.
 * With `ratePerSecond`, paced instead: that many orders a second in all, however fast the answers.
 */
export function placeOrders(
  baseUrl,
  { connections, seconds, maxRequests, ratePerSecond, timeoutSeconds = 10 },
) {
  let n = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${baseUrl}/orders`,
        connections,
        amount: maxRequests,
        timeout: timeoutSeconds,
        ...(ratePerSecond ? { overallRate: ratePerSecond } : {}),
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => ({ ...request, body: orderBody(n++) }),
          },
        ],
      },
      (error, result) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(summarize(result));
      },
    );
    const timer = setTimeout(() => instance.stop(), seconds * 1000);
  });
}

function summarize(result) {
  const placed = result['2xx'];
  const answered = placed + result.non2xx; // requests still in flight when the run ends count as neither
  return {
    seconds: result.duration,
    ordersPerSecond: placed / result.duration,
    placed,
    /** Answered with an error status (a 500 when the broker is down, with sync). */
    failed: result.non2xx,
    /** No answer within the timeout, or the connection failed. */
    errors: result.errors,
    // Latency of the answered requests; none answered, none to report.
    p50Ms: answered === 0 ? null : result.latency.p50,
    p99Ms: answered === 0 ? null : result.latency.p99,
  };
}
