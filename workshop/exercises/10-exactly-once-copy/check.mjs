import { randomBytes } from 'node:crypto';
import { runCopyProcessor } from '../../../demos/support/run-copy-processor.mjs';

const ORDERS = ['order 1', 'order 2', 'order 3', 'order 4', 'order 5'];
const CRASH_AT = 2;

export const exercise = {
  title: 'Make a copy exactly-once',
  startsFrom: 'the processor commits its transaction, then commits the input offsets on their own',
  async check(t) {
    const suffix = randomBytes(3).toString('hex');
    const [input, output, group] = ['orders', 'invoices', 'invoicing'].map(
      (name) => `workshop.${name}.${suffix}`,
    );
    await t.admin.createTopics({
      topics: [{ topic: input }, { topic: output }].map((topic) => ({ ...topic, numPartitions: 1 })),
    });
    try {
      await t.send(
        input,
        ORDERS.map((value) => ({ key: value.split(' ')[1], value })),
      );
      const run = {
        brokers: t.brokers,
        input,
        output,
        group,
        mode: 'transactional',
        lastOffset: ORDERS.length - 1,
      };
      const { crashed } = await runCopyProcessor({ ...run, crashAt: CRASH_AT });
      t.pass(
        `the processor copied ${input} to ${output} and was killed (SIGKILL) after producing offset ${crashed}'s invoice`,
      );
      await runCopyProcessor(run);
      t.pass(`restarted with the same group and transactional id, it committed offset ${ORDERS.length - 1}`);

      const records = await t.recordsAfter(
        output,
        {},
        { enough: (found) => found.length > ORDERS.length, timeoutMs: 3_000 },
      );
      const values = records.map(({ value }) => value);
      const duplicates = values.filter((value, index) => values.indexOf(value) !== index);
      if (duplicates.length > 0) {
        t.fail(
          `a read_committed reader of ${output} sees ${values.length} invoices for ${ORDERS.length} orders: ${duplicates.join(', ')} twice.
The killed run's invoice was committed, but the input offset was not, so the restart copied that order again.`,
          `commit the input offset in the same transaction as the invoice: transaction.sendOffsets({ consumerGroupId, topics })
before transaction.commit(), in copyInTransaction() in demos/support/copy-processor.mjs. Then a crash
anywhere aborts both, and the restart fences the killed instance (docs/15-transactions-and-exactly-once.md).`,
        );
      }
      if (values.length !== ORDERS.length)
        t.fail(
          `a read_committed reader of ${output} sees ${values.length} invoices for ${ORDERS.length} orders: ${values.join(', ')}`,
        );
      t.pass(
        `a read_committed reader of ${output} sees ${values.length} invoices for ${ORDERS.length} orders, each once`,
      );
    } finally {
      await t.admin.deleteGroups([group]).catch(() => undefined);
      await t.admin.deleteTopics({ topics: [input, output] }).catch(() => undefined);
    }
  },
};
