// What the Topics and Consumer groups panels show, read from the broker with ONE kafkajs admin client
// (one connection pool). Light on the broker: the topic and group lists change rarely and are cached; each
// second reads the partitions' metadata in one request, then the offsets of at most TOPICS_PER_SECOND
// topics and the descriptions and commits of at most GROUPS_PER_SECOND groups, the busy ones first and
// the rest in turn (a shared broker full of test topics is then read over a few seconds, not in one).
import kafkajs from 'kafkajs';
import { partitionLag } from '../scripts/support/kafka-offsets.mjs';
import { rebalanceEvents } from './rebalance-timeline.mjs';

const { Kafka, logLevel, AssignerProtocol } = kafkajs;

/** The lab's own consumer groups (its Records tail) start so, and are left out of the panel. */
export const LAB_GROUP_PREFIX = 'kafka-lab-';

const TOPICS_PER_SECOND = 12;
const GROUPS_PER_SECOND = 12;
const LISTS_MAX_AGE_MS = 3_000;

export function createBrokerWatch({ brokers }) {
  const kafka = new Kafka({
    clientId: 'kafka-lab',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    // It asks again every second anyway: fail fast rather than hold the snapshot back.
    connectionTimeout: 1_000,
    requestTimeout: 5_000,
    retry: { retries: 1, initialRetryTime: 100 },
  });
  let admin = kafka.admin();
  let connected = false;
  const lists = { at: 0, topics: [], groupIds: [], hiddenGroups: 0, cluster: undefined };
  const topicOffsets = new Map(); // topic → { at, partitions: { [partition]: { logStart, logEnd, recordsPerSecond } } }
  const groups = new Map(); // groupId → { at, state, protocol, protocolType, members, committed: { [topic]: { [partition]: offset } } }
  const turns = { topic: 0, group: 0 };
  let lastGood; // the last complete snapshot
  let groupsAtStart; // the groups of the first listing

  async function refreshLists() {
    if (Date.now() - lists.at < LISTS_MAX_AGE_MS) return;
    const [topics, { groups: listed }, cluster] = await Promise.all([
      admin.listTopics(),
      admin.listGroups(),
      admin.describeCluster(),
    ]);
    lists.topics = topics.filter((topic) => !topic.startsWith('__')).sort();
    const groupIds = listed.map(({ groupId }) => groupId);
    lists.groupIds = groupIds.filter((groupId) => !groupId.startsWith(LAB_GROUP_PREFIX)).sort();
    lists.hiddenGroups = groupIds.length - lists.groupIds.length;
    lists.cluster = cluster;
    lists.at = Date.now();
    groupsAtStart ??= new Set(lists.groupIds);
    for (const topic of topicOffsets.keys()) if (!lists.topics.includes(topic)) topicOffsets.delete(topic);
    for (const groupId of groups.keys()) if (!lists.groupIds.includes(groupId)) groups.delete(groupId);
  }

  async function readTopicOffsets(topic) {
    const offsets = await admin.fetchTopicOffsets(topic);
    const now = Date.now();
    const before = topicOffsets.get(topic);
    const partitions = {};
    for (const { partition, low, high } of offsets) {
      const earlier = before?.partitions[partition];
      const seconds = before ? (now - before.at) / 1000 : 0;
      partitions[partition] = {
        logStart: Number(low),
        logEnd: Number(high),
        recordsPerSecond: earlier && seconds > 0 ? (Number(high) - earlier.logEnd) / seconds : undefined,
      };
    }
    topicOffsets.set(topic, { at: now, partitions });
  }

  async function readGroups(groupIds) {
    if (groupIds.length === 0) return [];
    const { groups: described } = await admin.describeGroups(groupIds);
    const now = Date.now();
    const before = {};
    const after = {};
    for (const { groupId, state, protocol, protocolType, members } of described) {
      const committed = await admin
        .fetchOffsets({ groupId })
        .then((topics) =>
          Object.fromEntries(topics.map(({ topic, partitions }) => [topic, offsetsOf(partitions)])),
        )
        .catch(() => groups.get(groupId)?.committed ?? {});
      const group = { at: now, state, protocol, protocolType, members: members.map(memberOf), committed };
      if (groups.has(groupId)) before[groupId] = groups.get(groupId);
      after[groupId] = group;
      groups.set(groupId, group);
    }
    // A group that was there when the lab started is not news when first described: its members are
    // where the timeline starts. A group created since starts empty, so its first members have joined.
    for (const groupId of Object.keys(after)) {
      if (!(groupId in before) && !groupsAtStart.has(groupId)) before[groupId] = { members: [] };
    }
    const compared = Object.fromEntries(Object.entries(after).filter(([groupId]) => groupId in before));
    return rebalanceEvents(before, compared, now);
  }

  /** One second's snapshot, plus the rebalance events seen since the last one. */
  async function read({ tailTopic } = {}) {
    let stage = 'connecting';
    try {
      if (!connected) {
        await admin.connect();
        connected = true;
      }
      stage = 'listing topics and groups';
      await refreshLists();
      stage = 'reading partition metadata';
      const metadata = await partitionMetadata();
      stage = 'describing groups';

      const busyGroups = lists.groupIds.filter((groupId) => groups.get(groupId)?.members.length > 0);
      const newGroups = lists.groupIds.filter((groupId) => !groups.has(groupId));
      const groupIds = takeTurns(
        lists.groupIds,
        [...busyGroups, ...newGroups],
        GROUPS_PER_SECOND,
        turns,
        'group',
      );
      const events = await readGroups(groupIds);

      const busyTopics = new Set([tailTopic, ...topicsOwnedBy([...groups.values()])]);
      const urgentTopics = lists.topics.filter((topic) => busyTopics.has(topic));
      // One at a time: a dozen requests at once would queue on one connection for no gain.
      for (const topic of takeTurns(lists.topics, urgentTopics, TOPICS_PER_SECOND, turns, 'topic')) {
        await readTopicOffsets(topic).catch(() => undefined); // deleted a moment ago, or leaderless: next turn
      }
      lastGood = snapshotOf(metadata);
      return { events, snapshot: lastGood };
    } catch (error) {
      lists.at = 0;
      if (lastGood && !isConnectionError(error)) {
        // kafkajs's admin asks for every topic it has ever been asked about, and fails for good once one
        // is deleted by someone else: the next second starts with a new admin client (never two at once).
        await admin.disconnect().catch(() => undefined);
        admin = kafka.admin();
        connected = false;
        // The broker answers but one request failed (a topic deleted mid-read, a leader moving): the
        // figures of the last good second stand, and the page says what failed.
        return {
          events: [],
          snapshot: {
            ...lastGood,
            at: Date.now(),
            broker: { ...lastGood.broker, problem: `${stage}: ${error.message}` },
          },
        };
      }
      if (connected) await admin.disconnect().catch(() => undefined);
      connected = false;
      return {
        events: [],
        snapshot: { at: Date.now(), broker: { reachable: false, brokers, error: error.message } },
      };
    }
  }

  /** Leader, replicas and ISR of every listed topic; with a fresh list once, should one have just gone. */
  async function partitionMetadata() {
    try {
      return (await admin.fetchTopicMetadata({ topics: lists.topics })).topics;
    } catch {
      lists.at = 0;
      await refreshLists();
      return (await admin.fetchTopicMetadata({ topics: lists.topics })).topics;
    }
  }

  function snapshotOf(metadata) {
    const now = Date.now();
    const topics = metadata
      .map(({ name, partitions }) => {
        const offsets = topicOffsets.get(name);
        return {
          name,
          figuresAgeSeconds: offsets ? Math.round((now - offsets.at) / 1000) : undefined,
          partitions: partitions
            .map(({ partitionId, leader, replicas, isr, offlineReplicas }) => ({
              partition: partitionId,
              leader,
              replicas,
              isr,
              offlineReplicas: offlineReplicas ?? [],
              ...offsets?.partitions[partitionId],
            }))
            .sort((a, b) => a.partition - b.partition),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
    const groupsShown = lists.groupIds
      .filter((groupId) => groups.has(groupId))
      .map((groupId) => groupOf(groupId, groups.get(groupId), now))
      // Live groups first: an empty group a finished run left behind is history, not what is moving.
      .sort((a, b) => Number(b.members.length > 0) - Number(a.members.length > 0));
    return {
      at: now,
      broker: {
        reachable: true,
        brokers,
        nodes: (lists.cluster?.brokers ?? []).map(({ nodeId, host, port }) => ({ nodeId, host, port })),
        controller: lists.cluster?.controller,
      },
      topics,
      groups: groupsShown,
      hiddenGroups: lists.hiddenGroups,
      limits: { topicsPerSecond: TOPICS_PER_SECOND, groupsPerSecond: GROUPS_PER_SECOND },
    };
  }

  function groupOf(groupId, group, now) {
    const partitions = [];
    for (const [topic, committedOffsets] of Object.entries(group.committed)) {
      for (const [partition, committed] of Object.entries(committedOffsets)) {
        const offsets = topicOffsets.get(topic)?.partitions[partition];
        partitions.push({
          topic,
          partition: Number(partition),
          committed,
          logEnd: offsets?.logEnd,
          lag: offsets ? partitionLag({ ...offsets, committed }) : undefined,
        });
      }
    }
    partitions.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    const lags = partitions.map(({ lag }) => lag).filter((lag) => lag !== undefined);
    return {
      groupId,
      figuresAgeSeconds: Math.round((now - group.at) / 1000),
      state: group.state,
      protocolType: group.protocolType,
      protocol: group.protocol,
      members: group.members,
      partitions,
      totalLag: lags.length > 0 ? lags.reduce((sum, lag) => sum + lag, 0) : undefined,
    };
  }

  async function close() {
    // Also when a failed read left it unconnected: the tail may have connected it since.
    await admin.disconnect();
    connected = false;
  }

  return {
    kafka,
    /** The current admin client (replaced after a failed request, see read()). */
    get admin() {
      return admin;
    },
    read,
    close,
  };
}

/** No answer from the broker at all (as opposed to an answer that is an error). */
function isConnectionError(error) {
  for (let cause = error; cause; cause = cause.originalError ?? cause.cause) {
    if (
      ['KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSBrokerNotFound'].includes(cause.name)
    )
      return true;
  }
  return false;
}

function memberOf({ memberId, clientId, clientHost, memberAssignment }) {
  // Only the consumer protocol's assignment can be decoded; a group of another kind shows no partitions.
  let assignment;
  try {
    assignment = AssignerProtocol.MemberAssignment.decode(memberAssignment)?.assignment;
  } catch {
    assignment = undefined;
  }
  return { memberId, clientId, host: clientHost, assignment: assignment ?? {} };
}

function offsetsOf(partitions) {
  return Object.fromEntries(partitions.map(({ partition, offset }) => [partition, Number(offset)]));
}

function topicsOwnedBy(groupList) {
  return groupList.flatMap(({ members }) => members.flatMap(({ assignment }) => Object.keys(assignment)));
}

/** Up to `limit` of `all`: the `urgent` ones first, then the others in turn, from where the last call stopped. */
export function takeTurns(all, urgent, limit, turns, kind) {
  const chosen = [...new Set(urgent)].filter((item) => all.includes(item)).slice(0, limit);
  const others = all.filter((item) => !chosen.includes(item));
  const count = Math.min(limit - chosen.length, others.length);
  for (let i = 0; i < count; i++) chosen.push(others[(turns[kind] + i) % others.length]);
  turns[kind] = others.length === 0 ? 0 : (turns[kind] + count) % others.length;
  return chosen;
}
