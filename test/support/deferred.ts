/** A promise the test resolves by hand: lets a test hold a listener "in flight" for as long as it likes. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}
