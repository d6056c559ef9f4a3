// One order's trace, as Zipkin's v2 JSON holds it (the service exports to Zipkin, or to a test's collector):
// which hops it must have in each publishing mode, and the tree of its spans, for a person to read.
// Zipkin lowercases span names, so names are compared in lower case.

const ORDER_TOPIC = 'outside.order.completed.v1';
export const TRACED_GROUPS = ['data-platform', 'product-ranking'];
const CONSUMER_GROUP_TAG = 'messaging.consumer.group.name';

/**
 * What is missing from or out of place in the trace of one `POST /orders` (its spans, Zipkin v2 JSON),
 * for `mode` (EVENT_PUBLISHER): one line per problem, none when every hop is there under its parent.
 */
export function missingOrderHops(spans, mode) {
  const problems = [];
  const byId = new Map(spans.map((span) => [span.id, span]));
  const named = (name) => spans.filter((span) => span.name.toLowerCase() === name);
  const isUnder = (span, ancestor) => {
    for (let at = byId.get(span.parentId); at !== undefined; at = byId.get(at.parentId)) {
      if (at === ancestor) return true;
    }
    return false;
  };
  /** The one span of that name under `ancestor`, or a problem noted. */
  const find = (description, name, ancestor) => {
    const found = named(name).find((span) => ancestor === undefined || isUnder(span, ancestor));
    if (found === undefined) {
      problems.push(`no ${description} (span "${name}"${ancestor ? ` under "${ancestor.name}"` : ''})`);
    }
    return found;
  };

  const traceIds = new Set(spans.map((span) => span.traceId));
  if (traceIds.size > 1)
    problems.push(`spans of ${traceIds.size} traces, not one: ${[...traceIds].join(', ')}`);
  const http = find('HTTP server span', 'post /orders');
  if (http === undefined) return problems;
  const transaction = find('transaction', 'transaction', http);
  let send;
  if (mode === 'outbox') {
    const write = transaction && find('outbox write', `outbox write ${ORDER_TOPIC}`, transaction);
    send = write && find('send by the outbox relay, in the order trace', `send ${ORDER_TOPIC}`, write);
  } else if (mode === 'sync') {
    send = transaction && find('send inside the transaction', `send ${ORDER_TOPIC}`, transaction);
  } else {
    const afterCommit = find('after-commit publish', 'after commit', http);
    send = afterCommit && find('send after commit', `send ${ORDER_TOPIC}`, afterCommit);
  }
  if (send === undefined) return problems;
  for (const group of TRACED_GROUPS) {
    const processed = named(`process ${ORDER_TOPIC}`).find(
      (span) => span.tags?.[CONSUMER_GROUP_TAG] === group,
    );
    if (processed === undefined) problems.push(`no process span of the consumer group ${group}`);
    else if (processed.parentId !== send.id)
      problems.push(`the ${group} process span is not a child of the send`);
  }
  return problems;
}

/**
 * The trace as an indented tree, one line per span, children in start order: when it started (ms after
 * the first span), how long it took, its name (a consumer group's after its process span) and service.
 */
export function traceTree(spans) {
  const ids = new Set(spans.map((span) => span.id));
  const childrenOf = new Map();
  const sorted = [...spans].sort((a, b) => a.timestamp - b.timestamp);
  for (const span of sorted) {
    const parent = ids.has(span.parentId) ? span.parentId : undefined;
    if (!childrenOf.has(parent)) childrenOf.set(parent, []);
    childrenOf.get(parent).push(span);
  }
  const start = sorted[0]?.timestamp ?? 0;
  const milliseconds = (microseconds) => `${(microseconds / 1000).toFixed(1).padStart(7)} ms`;
  const lines = [];
  const walk = (parent, depth) => {
    for (const span of childrenOf.get(parent) ?? []) {
      const group = span.tags?.[CONSUMER_GROUP_TAG];
      const name = `${span.name}${group ? ` [${group}]` : ''}`;
      const service = span.localEndpoint?.serviceName ?? '?';
      const started = `+${((span.timestamp - start) / 1000).toFixed(1)} ms`.padStart(10);
      lines.push(
        `${started} ${milliseconds(span.duration ?? 0)}  ${'  '.repeat(depth)}${name}  (${service})`,
      );
      walk(span.id, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines;
}
