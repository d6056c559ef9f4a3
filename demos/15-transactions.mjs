// Being written (see docs/README.md).
console.error('not written yet');
process.exitCode = 1;
