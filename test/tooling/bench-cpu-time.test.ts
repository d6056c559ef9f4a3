import { describe, expect, it } from '@jest/globals';
import { cpuSeconds, watchCpu } from '../../bench/support/cpu-time.mjs';

// The order API part reports each mode's CPU milliseconds per order, read from /proc/<pid>/stat.

/** Keeps this process on the CPU for `ms` milliseconds. */
function burn(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('CPU time of a process, for the benchmark', () => {
  if (process.platform === 'linux') {
    it("counts the CPU time a process uses: 300 ms of this one's, give or take a clock tick", () => {
      const used = watchCpu([process.pid]);
      burn(300);
      const [seconds] = used();
      expect(seconds).toBeGreaterThanOrEqual(0.28);
      expect(seconds).toBeLessThan(1);
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
