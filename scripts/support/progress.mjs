// Progress lines for anything slow. On a terminal one line rewrites itself; in a log (CI, a pipe) each
// message gets a line of its own, but a counting message (one with `fraction`) only every quarter, so a
// loop that reports 200 times leaves five lines, not 200.

/** `progress` and `progressDone` that indent their lines by `indent` (demos: 4 spaces, bench: 2). */
export function progressLines(indent) {
  let lastQuarter;
  return {
    /** `… text`. With `fraction` (0…1), off a terminal only at 0, 25, 50, 75 and 100 %. */
    progress(text, { fraction } = {}) {
      if (process.stdout.isTTY) {
        process.stdout.write(`\r\x1b[2K${indent}… ${text}`);
        return;
      }
      if (fraction === undefined) {
        lastQuarter = undefined;
      } else {
        const quarter = Math.floor(Math.min(1, Math.max(0, fraction)) * 4);
        if (quarter === lastQuarter) return;
        lastQuarter = quarter;
      }
      console.log(`${indent}… ${text}`);
    },
    /** `✓ text`, on a line of its own (it clears a progress line on a terminal). */
    progressDone(text) {
      lastQuarter = undefined;
      if (process.stdout.isTTY) process.stdout.write('\r\x1b[2K');
      console.log(`${indent}✓ ${text}`);
    },
  };
}
