import { describe, expect, it } from '@jest/globals';
import { shown, targetsTable } from '../../bench/support/report.mjs';
import { figure, mergeRuns, perRun } from '../../bench/support/stats.mjs';

// The full pass runs every part several times and reports each figure as the runs' median with their
// lowest and highest. These are the merging and the cells that show it, and the verdicts that judge it.

describe('a figure measured once per run', () => {
  it('is the median of an odd number of runs, with the lowest and highest', () => {
    expect(figure([530, 490, 513])).toEqual({ values: [530, 490, 513], median: 513, min: 490, max: 530 });
  });

  it('is the mean of the middle two for an even number of runs', () => {
    expect(figure([40, 10, 30, 20])).toMatchObject({ median: 25, min: 10, max: 40 });
  });

  it('counts a run that measured nothing (no request answered) as higher than any number', () => {
    expect(figure([null, 3155, 2900])).toMatchObject({ median: 3155, min: 2900, max: null });
    expect(figure([null, 3155])).toMatchObject({ median: null });
  });

  it('works a ratio out within each run, not from the medians', () => {
    const kafka = figure([60, 120, 66]);
    const inMemory = figure([50, 100, 40]);

    const ratio = perRun([kafka, inMemory], (p99, base) => p99! / base!);

    expect(ratio.values).toEqual([1.2, 1.2, 1.65]);
    expect(ratio.median).toBe(1.2);
    expect(kafka.median! / inMemory.median!).not.toBe(1.2); // 66 ÷ 50: what a ratio of medians would say
  });
});

describe('merging the rows of several runs', () => {
  it('matches rows by their text fields and settings, whatever their order, and makes figures of the rest', () => {
    const merged = mergeRuns(
      [
        [
          { handler: 'nothing', commit: 'per batch', records: 10, recordsPerSecond: 300 },
          { handler: 'nothing', commit: 'per record', records: 10, recordsPerSecond: 3 },
        ],
        [
          { handler: 'nothing', commit: 'per record', records: 10, recordsPerSecond: 1 },
          { handler: 'nothing', commit: 'per batch', records: 10, recordsPerSecond: 100 },
        ],
        [
          { handler: 'nothing', commit: 'per batch', records: 10, recordsPerSecond: 200 },
          { handler: 'nothing', commit: 'per record', records: 10, recordsPerSecond: 2 },
        ],
      ],
      { settings: ['records'] },
    );

    expect(merged).toEqual([
      {
        handler: 'nothing',
        commit: 'per batch',
        records: 10,
        recordsPerSecond: { values: [300, 100, 200], median: 200, min: 100, max: 300 },
      },
      {
        handler: 'nothing',
        commit: 'per record',
        records: 10,
        recordsPerSecond: { values: [3, 1, 2], median: 2, min: 1, max: 3 },
      },
    ]);
  });

  it('keeps the values of one run of a single row', () => {
    const [relay] = mergeRuns([[{ pollIntervalMs: 100, eventsPerSecond: 5_135, p99Ms: 173 }]], {
      settings: ['pollIntervalMs'],
    });

    expect(relay).toEqual({
      pollIntervalMs: 100,
      eventsPerSecond: { values: [5_135], median: 5_135, min: 5_135, max: 5_135 },
      p99Ms: { values: [173], median: 173, min: 173, max: 173 },
    });
  });

  it('refuses runs that did not measure the same rows', () => {
    const slow = { mode: 'kafka', broker: 'slow', p99Ms: 80 };
    const healthy = { mode: 'kafka', broker: 'healthy', p99Ms: 60 };

    expect(() => mergeRuns([[healthy, slow], [healthy]])).toThrow('run 2 has 1 rows, run 1 has 2');
    expect(() => mergeRuns([[healthy], [slow]])).toThrow('run 2 has no row mode=kafka broker=healthy');
    expect(() =>
      mergeRuns([[{ records: 10, perSecond: 1 }], [{ records: 20, perSecond: 2 }]], {
        settings: ['records'],
      }),
    ).toThrow('run 2 has no row records=10');
  });

  it('refuses a field it cannot merge, rather than keep one run of it', () => {
    expect(() => mergeRuns([[{ mode: 'kafka', rss: { heap: 50 } }]])).toThrow(
      'rss of row mode=kafka is neither text, a setting, nor a number',
    );
  });
});

describe('a figure in a table', () => {
  it('shows the median, and the lowest and highest where the runs differ', () => {
    expect(shown(figure([530, 490, 513.4]))).toBe('513 (490 – 530)');
    expect(shown(figure([0, 0, 0]))).toBe('0');
    expect(shown(figure([-0.901, -0.899]), (value) => `${(100 * value!).toFixed(0)} %`)).toBe('-90 %');
    expect(shown(figure([513]))).toBe('513');
    expect(shown(figure([1.5, 1.25]), (value) => `${value}×`)).toBe('1.375× (1.25× – 1.5×)');
  });
});

describe('the targets of a pass of several runs', () => {
  it('judges the median, and shows the lowest and highest beside it', () => {
    const table = targetsTable(threeRuns({ relayEventsPerSecond: [12_000, 9_000, 11_000] }));

    expect(rowOf(table, 'outbox relay ≥ 10,000 events/s')).toEqual(['11000 (9000 – 12000)', 'met']);
  });

  it('misses a target whose median misses it, though one run met it', () => {
    const table = targetsTable(threeRuns({ relayEventsPerSecond: [12_000, 9_000, 9_500] }));

    expect(rowOf(table, 'outbox relay ≥ 10,000 events/s')).toEqual(['9500 (9000 – 12000)', '**missed**']);
  });

  it('judges the p99 ratio of each run, then their median', () => {
    const table = targetsTable(
      threeRuns({ inMemoryP99Ms: [50, 100, 40], kafkaP99Ms: [60, 120, 66], relayEventsPerSecond: [1, 1, 1] }),
    );

    expect(rowOf(table, 'order API p99, kafka ÷ in-memory ≤ 1.2×')).toEqual(['1.20× (1.20× – 1.65×)', 'met']);
  });

  it('judges the listener container against the bare loop of the same run, and the ranking per batch', () => {
    const table = targetsTable(threeRuns({ relayEventsPerSecond: [1, 1, 1] }));

    expect(rowOf(table, 'listener container, AckMode.BATCH, ≥ 50 % of the bare per-batch loop')).toEqual([
      '67 % (40 % – 70 %)',
      'met',
    ]);
    expect(rowOf(table, 'product ranking on MySQL, handleBatch ≥ 3× handle')).toEqual([
      '2.78×',
      '**missed**',
    ]);
  });
});

/** A pass's merged results, from three runs that differ only in the figures given. */
function threeRuns({
  relayEventsPerSecond,
  inMemoryP99Ms = [50, 50, 50],
  kafkaP99Ms = [50, 50, 50],
}: {
  relayEventsPerSecond: number[];
  inMemoryP99Ms?: number[];
  kafkaP99Ms?: number[];
}) {
  const runs = [0, 1, 2].map((run) => {
    const orderRow = (mode: string, broker: string, p99Ms: number) => ({
      mode,
      broker,
      ordersPerSecond: 500,
      p50Ms: 20,
      p99Ms,
      failed: 0,
      errors: 0,
      rssAtRestMb: 130,
      rssUnderLoadMb: 300,
    });
    return {
      orderApi: [
        orderRow('in-memory', 'none', inMemoryP99Ms[run]!),
        ...['kafka', 'outbox', 'sync'].flatMap((mode) =>
          ['healthy', 'slow', 'down'].map((broker) =>
            orderRow(mode, broker, mode === 'kafka' ? kafkaP99Ms[run]! : 50),
          ),
        ),
      ],
      publisher: {
        records: 1_000,
        concurrentPublishes: 16,
        burstPublishes: 500,
        perfTest: 100_000,
        publishAll: 90_000,
        burst: 60_000,
        publish: 5_000,
        publishRoundTripMs: 3.2,
      },
      relay: { pollIntervalMs: 100, eventsPerSecond: relayEventsPerSecond[run]!, p50Ms: 60, p99Ms: 140 },
      consumers: [
        consumerRow(
          'nothing (commits only)',
          'bare kafkajs eachBatch loop (the ceiling)',
          'per batch',
          300_000,
        ),
        consumerRow(
          'nothing (commits only)',
          'KafkaListenerContainer, handle',
          'AckMode.BATCH',
          [120_000, 200_000, 210_000][run]!,
        ),
        consumerRow('product ranking (MySQL)', 'KafkaListenerContainer, handle', 'AckMode.BATCH', 900),
        consumerRow('product ranking (MySQL)', 'KafkaListenerContainer, handleBatch', 'AckMode.BATCH', 2_500),
      ],
    };
  });
  return {
    orderApi: mergeRuns(runs.map((run) => run.orderApi)),
    publisher: mergeRuns(
      runs.map((run) => [run.publisher]),
      { settings: ['records', 'concurrentPublishes', 'burstPublishes'] },
    )[0]!,
    relay: mergeRuns(
      runs.map((run) => [run.relay]),
      { settings: ['pollIntervalMs'] },
    )[0]!,
    consumers: mergeRuns(
      runs.map((run) => run.consumers),
      { settings: ['records'] },
    ),
  };
}

function consumerRow(handler: string, consumer: string, commit: string, recordsPerSecond: number) {
  return { handler, consumer, commit, records: 10_000, recordsPerSecond };
}

/** The measured and verdict cells of the targets table's row that starts with `target`. */
function rowOf(table: string, target: string): string[] {
  const line = table.split('\n').find((row) => row.startsWith(`| ${target} `));
  if (!line) throw new Error(`no row "${target}" in\n${table}`);
  return line
    .split('|')
    .slice(2, 4)
    .map((cell) => cell.trim());
}
