import { progressLines } from '../../scripts/support/progress.mjs';

// How every demo prints: a header, numbered steps (the chapters' notes refer to them), aligned tables,
// and progress lines for anything slow. Plain text, so the chapters can show the output as it was.

let stepNumber = 0;

export function header(chapter, title, brokers) {
  console.log(`\n━━ Chapter ${chapter} · ${title} ━━  (brokers: ${brokers})`);
}

/**
 * The one line a demo that changes the broker's state prints under its header: what to watch in the
 * Kafka Lab (chapter 12). `brokers` only when the lab would not find them itself (the cluster).
 */
export function labHint(watch, brokers) {
  const lab = brokers ? `KAFKA_BROKERS=${brokers} npm run lab` : 'npm run lab';
  console.log(`    open the lab while this runs (${lab}, http://127.0.0.1:3100): ${watch}`);
}

/** Prints `[n] text` and returns n. Number the notes in the chapter the same way. */
export function step(text) {
  stepNumber += 1;
  console.log(`\n[${stepNumber}] ${text}`);
  return stepNumber;
}

/** An indented line of output under the current step. */
export function say(text = '') {
  for (const line of String(text).split('\n')) console.log(`    ${line}`);
}

/**
 * An aligned table. `rows` are objects; `columns` picks and orders their keys (default: the first row's).
 * Numbers are right-aligned, everything else left-aligned.
 */
export function table(rows, columns = Object.keys(rows[0] ?? {})) {
  const cells = rows.map((row) => columns.map((column) => formatCell(row[column])));
  const widths = columns.map((column, index) =>
    Math.max(column.length, ...cells.map((rowCells) => rowCells[index].length)),
  );
  const numeric = columns.map(
    (column) => rows.length > 0 && rows.every((row) => typeof row[column] === 'number'),
  );
  const line = (values) =>
    values
      .map((value, index) => (numeric[index] ? value.padStart(widths[index]) : value.padEnd(widths[index])))
      .join('  ')
      .trimEnd();
  say(line(columns));
  say(line(widths.map((width) => '─'.repeat(width))));
  for (const rowCells of cells) say(line(rowCells));
}

function formatCell(value) {
  if (value === undefined || value === null) return '-';
  if (typeof value === 'number' && !Number.isInteger(value)) return value.toFixed(1);
  return String(value);
}

export const { progress, progressDone } = progressLines('    ');
