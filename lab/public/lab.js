// The Kafka Lab's page: draws each snapshot the lab server pushes (GET /events, Server-Sent Events).
// Everything shown comes from the snapshot; the page only keeps the rebalance timeline while it is open.

const $ = (selector) => document.querySelector(selector);
const timeline = [];
let latest;

const escape = (value) =>
  String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
const dash = (value) => (value === undefined || value === null ? '—' : escape(value));
// Members of one process often share a client id (demo 06's A, B and C do): the end of the member id,
// which the broker makes unique, tells them apart.
const memberTag = (memberId) =>
  ` <span class="member-id" title="member id ${escape(memberId)}">#${escape(String(memberId).slice(-4))}</span>`;
const timeOf = (ms) => new Date(ms).toLocaleTimeString([], { hour12: false });
const matchesFilter = (name) => name.toLowerCase().includes($('#filter').value.trim().toLowerCase());
const stale = (ageSeconds) =>
  ageSeconds > 2 ? ` <span class="age">(figures ${ageSeconds} s old)</span>` : '';

function drawBroker(snapshot) {
  const status = $('#broker-status');
  if (!snapshot.broker.reachable) {
    status.className = 'status down';
    status.textContent = `broker unreachable (${snapshot.broker.brokers}): ${snapshot.broker.error}. Asking again every second.`;
    return;
  }
  const nodes = snapshot.broker.nodes
    .map(({ nodeId, host, port }) => `node ${nodeId} ${host}:${port}`)
    .join(', ');
  const problem = snapshot.broker.problem ? ` (last request failed: ${snapshot.broker.problem})` : '';
  status.className = 'status up';
  status.textContent = `broker ${snapshot.broker.brokers}: ${nodes}; controller node ${snapshot.broker.controller}. Updated ${timeOf(snapshot.at)}${problem}.`;
}

function drawTopics({ topics, limits }) {
  const rows = topics
    .filter(({ name }) => matchesFilter(name))
    .flatMap(({ name, partitions, figuresAgeSeconds }) =>
      partitions.map((p, index) => {
        const outOfSync = p.replicas.filter((node) => !p.isr.includes(node));
        return `<tr data-topic="${escape(name)}" data-partition="${p.partition}">
        ${index === 0 ? `<th rowspan="${partitions.length}" scope="rowgroup">${escape(name)}${stale(figuresAgeSeconds)}</th>` : ''}
        <td>${p.partition}</td>
        <td class="leader ${p.leader < 0 ? 'warn' : ''}">${p.leader < 0 ? 'none' : p.leader}</td>
        <td class="replicas">${p.replicas.join(', ')}</td>
        <td class="isr ${outOfSync.length > 0 ? 'warn' : ''}">${p.isr.join(', ')}</td>
        <td class="log-start">${dash(p.logStart)}</td>
        <td class="log-end">${dash(p.logEnd)}</td>
        <td class="rate">${p.recordsPerSecond === undefined ? '—' : p.recordsPerSecond.toFixed(1)}</td>
      </tr>`;
      }),
    );
  $('#topics .content').innerHTML = `<table>
    <thead><tr><th>topic</th><th>partition</th><th>leader</th><th>replicas</th><th>ISR</th><th>log-start</th><th>log-end</th><th>records/s</th></tr></thead>
    <tbody>${rows.join('')}</tbody></table>
    <p class="note">Offsets of up to ${limits.topicsPerSecond} topics are read each second, the busy ones first; the others take turns.</p>`;
}

function drawGroups({ groups, hiddenGroups, limits }) {
  $('#hidden-groups').textContent =
    `The lab's own groups (kafka-lab-…, the Records tail's) are hidden${hiddenGroups ? `: ${hiddenGroups}` : ''}. ` +
    `Up to ${limits.groupsPerSecond} groups are described each second, those with members first.`;
  $('#groups .content').innerHTML = groups
    .filter(groupMatchesFilter)
    .map((group) => {
      const members = group.members
        .map(
          (
            m,
          ) => `<li class="member" data-client-id="${escape(m.clientId)}"><span class="client">${escape(m.clientId)}</span>${memberTag(m.memberId)}
          <span class="host">${escape(m.host)}</span> owns <span class="owned">${escape(assignmentText(m.assignment))}</span></li>`,
        )
        .join('');
      const partitions = group.partitions
        .map(
          (
            p,
          ) => `<tr data-topic="${escape(p.topic)}" data-partition="${p.partition}"><td>${escape(p.topic)}</td><td>${p.partition}</td>
          <td class="committed">${p.committed < 0 ? 'none' : p.committed}</td><td>${dash(p.logEnd)}</td><td class="lag">${dash(p.lag)}</td></tr>`,
        )
        .join('');
      return `<article class="group" data-group="${escape(group.groupId)}">
        <h3>${escape(group.groupId)}${stale(group.figuresAgeSeconds)}</h3>
        <p>state <b class="state">${escape(group.state)}</b> · protocol ${dash(group.protocol || undefined)} (${dash(group.protocolType || undefined)})
          · total lag <b class="total-lag">${dash(group.totalLag)}</b></p>
        <ul class="members">${members || '<li>no members</li>'}</ul>
        ${partitions ? `<table><thead><tr><th>topic</th><th>partition</th><th>committed</th><th>log-end</th><th>lag</th></tr></thead><tbody>${partitions}</tbody></table>` : '<p class="note">nothing committed</p>'}
      </article>`;
    })
    .join('');
}

/** A group shows by its name or by a topic it reads or has committed on: "order" finds the app's groups. */
function groupMatchesFilter({ groupId, partitions, members }) {
  const topics = [
    ...partitions.map(({ topic }) => topic),
    ...members.flatMap(({ assignment }) => Object.keys(assignment)),
  ];
  return [groupId, ...topics].some(matchesFilter);
}

function assignmentText(assignment) {
  const topics = Object.keys(assignment)
    .filter((topic) => assignment[topic].length > 0)
    .sort();
  if (topics.length === 0) return 'no partitions';
  return topics
    .map((topic) => `${topic} [${[...assignment[topic]].sort((a, b) => a - b).join(', ')}]`)
    .join('; ');
}

function drawTimeline() {
  $('#timeline .content').innerHTML =
    timeline
      // An entry shows while its group would, or when it names a matching topic (a group since gone).
      .filter(({ groupId, assignment, from }) => {
        const group = latest?.groups?.find((each) => each.groupId === groupId);
        return (
          (group ? groupMatchesFilter(group) : matchesFilter(groupId)) ||
          [assignment, from ?? ''].some(matchesFilter)
        );
      })
      .map(
        (
          e,
        ) => `<li class="${e.change.replace(' ', '-')}" data-group="${escape(e.groupId)}" data-client-id="${escape(e.clientId)}">
      <time>${timeOf(e.at)}</time> <b>${escape(e.groupId)}</b>: ${escape(e.clientId)}${memberTag(e.memberId)} <span class="change">${escape(e.change)}</span>
      (${escape(e.host)}) → ${e.from ? `${escape(e.from)} ⇒ ` : ''}<span class="assignment">${escape(e.assignment)}</span></li>`,
      )
      .join('') || '<li class="empty">nothing yet: start a consumer, or run npm run demo:rebalancing</li>';
}

function drawRecords({ records, topics, zipkinUrl }) {
  const select = $('#tail-topic');
  const names = topics.map(({ name }) => name);
  if (select.dataset.names !== names.join(',')) {
    select.innerHTML = `<option value="">(none)</option>${names.map((n) => `<option value="${escape(n)}">${escape(n)}</option>`).join('')}`;
    select.dataset.names = names.join(',');
  }
  if (document.activeElement !== select) select.value = records.topic ?? '';
  $('#tail-status').textContent = records.topic
    ? `${records.status} (group ${records.groupId})`
    : 'choose a topic to tail';
  const rows = records.records.map((r) => {
    const trace = r.traceId
      ? `<a class="trace" href="${escape(`${zipkinUrl}/zipkin/traces/${r.traceId}`)}" target="_blank">trace</a>`
      : '';
    return `<tr data-key="${escape(r.key)}" data-partition="${r.partition}" data-offset="${escape(r.offset)}">
      <td>${timeOf(r.timestamp)}</td><td class="partition">${r.partition}</td><td class="offset">${escape(r.offset)}</td><td class="key">${dash(r.key)}</td>
      <td>${dash(r.headers['event-type'])}</td><td>${dash(r.headers['event-id'])}</td><td>${dash(r.headers['request-id'])}</td><td>${trace}</td>
      <td><code>${escape(r.value)}</code></td></tr>`;
  });
  $('#records .content').innerHTML =
    `<table><thead><tr><th>time</th><th>partition</th><th>offset</th><th>key</th><th>event-type</th>
    <th>event-id</th><th>request-id</th><th>trace</th><th>value</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function drawService({ service }) {
  const content = $('#service .content');
  if (!service.running) {
    content.innerHTML = `<p class="down">not running at ${escape(service.appUrl)} (APP_URL): start it with <code>npm start</code></p>`;
    return;
  }
  const m = service.metrics;
  const figures =
    typeof m === 'string'
      ? `<p class="note">${escape(m)}</p>`
      : `<dl>
        <dt>publishing mode</dt><dd class="mode">${dash(m.publishingMode)}</dd>
        <dt>orders placed</dt><dd>${dash(m.ordersPlaced)}</dd>
        <dt>events published</dt><dd>${dash(m.eventsPublished)}</dd>
        <dt>outbox backlog (rows)</dt><dd class="outbox-pending">${dash(m.outboxPendingRows)}</dd>
        <dt>oldest pending (s)</dt><dd>${dash(m.outboxOldestPendingAgeSeconds)}</dd>
        <dt>outbox rows failed</dt><dd>${dash(m.outboxFailedRows)}</dd>
        <dt>failed sends</dt><dd>${dash(m.failedSends)}</dd>
        <dt>DLQ records</dt><dd>${dash(m.recordsDeadLettered)}</dd></dl>`;
  content.innerHTML = `<p>${escape(service.appUrl)}: /health says <b class="health">${escape(service.health)}</b></p>${figures}`;
}

function draw() {
  if (!latest) return;
  drawBroker(latest);
  if (latest.broker.reachable) {
    drawTopics(latest);
    drawGroups(latest);
    drawRecords(latest);
  }
  drawTimeline();
  drawService(latest);
}

async function showPartitionOfKey() {
  const key = $('#key').value;
  const topic = $('#tail-topic').value;
  const output = $('#key-partition');
  if (!key || !topic) return (output.textContent = topic ? '' : 'choose a topic first');
  const response = await fetch(`/partition?${new URLSearchParams({ topic, key })}`);
  const answer = await response.json();
  output.textContent = response.ok
    ? `partition ${answer.partition} of ${answer.partitions} (kafkajs: murmur2(key) mod ${answer.partitions})`
    : answer.error;
}

const events = new EventSource('/events');
events.addEventListener('snapshot', (event) => {
  latest = JSON.parse(event.data);
  draw();
});
events.addEventListener('rebalance', (event) => {
  timeline.unshift(...JSON.parse(event.data).reverse());
  drawTimeline();
});
events.addEventListener('error', () => {
  $('#broker-status').className = 'status down';
  $('#broker-status').textContent = 'the lab server does not answer: is npm run lab still running?';
});
$('#filter').addEventListener('input', draw);
$('#tail-topic').addEventListener('change', async (event) => {
  await fetch(`/tail?${new URLSearchParams({ topic: event.target.value })}`, { method: 'POST' });
  await showPartitionOfKey();
});
$('#key').addEventListener('input', showPartitionOfKey);
$('#key-box').addEventListener('submit', (event) => event.preventDefault());
