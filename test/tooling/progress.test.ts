import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { progressLines } from '../../scripts/support/progress.mjs';

// Off a terminal (CI logs, a pipe) a loop that reports its progress 200 times must not print 200 lines.
describe('progress lines off a terminal', () => {
  let printed: string[];
  const wasTTY = process.stdout.isTTY;

  beforeEach(() => {
    printed = [];
    process.stdout.isTTY = false;
    jest.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
  });
  afterEach(() => {
    process.stdout.isTTY = wasTTY;
    jest.restoreAllMocks();
  });

  it('prints a counting message only at 0, 25, 50, 75 and 100 %', () => {
    const { progress, progressDone } = progressLines('  ');
    for (let done = 0; done <= 200; done++) progress(`${done}/200 rows`, { fraction: done / 200 });
    progressDone('200 rows');
    expect(printed).toEqual([
      '  … 0/200 rows',
      '  … 50/200 rows',
      '  … 100/200 rows',
      '  … 150/200 rows',
      '  … 200/200 rows',
      '  ✓ 200 rows',
    ]);
  });

  it('prints every plain message: the demos show each one', () => {
    const { progress } = progressLines('    ');
    progress('consumer joined; waiting for its records');
    progress('consumer joined; waiting for its records');
    expect(printed).toEqual([
      '    … consumer joined; waiting for its records',
      '    … consumer joined; waiting for its records',
    ]);
  });
});
