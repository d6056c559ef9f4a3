import { describe, expect, it } from '@jest/globals';
import { cpuSeconds, watchCpu } from '../../bench/support/cpu-time.mjs';

// The order API part reports each mode's CPU milliseconds per order, read from /proc/<pid>/stat.

/** Keeps this process on the CPU until it has used `ms` milliseconds of it (wall time can be longer). */
function burnCpu(ms: number) {
  const start = process.cpuUsage();
  for (;;) {
    const { user, system } = process.cpuUsage(start);
    if (user + system >= ms * 1_000) return;
  }
}

describe('CPU time of a process, for the benchmark', () => {
  if (process.platform === 'linux') {
    it('counts the CPU time a process used, as the process itself counts it, to a clock tick or two', () => {
      const used = watchCpu([process.pid]);
      const start = process.cpuUsage();
      burnCpu(300);
      const [seconds] = used();
      const { user, system } = process.cpuUsage(start);
      expect(seconds).toBeCloseTo((user + system) / 1e6, 1); // within 0.05 s
      expect(seconds).toBeGreaterThanOrEqual(0.28);
    });
  } else {
    it('reads nothing where there is no /proc', () => {
      expect(cpuSeconds(process.pid)).toBeUndefined();
    });
  }

  it('reads nothing for a process that does not exist', () => {
    expect(cpuSeconds(2 ** 22 + 1)).toBeUndefined(); // above Linux's highest pid
    expect(watchCpu([2 ** 22 + 1])()).toEqual([undefined]);
  });
});
