// kafkajs 2.2.4 arms a timer with a negative delay (tulios/kafkajs#1751) and Node 24 warns about it
// (TimeoutNegativeWarning) whenever a client connects or disconnects. It is harmless and not ours to fix.
// `npm start` and the child processes of app-process.mjs pass --disable-warning=TimeoutNegativeWarning;
// a tool that runs kafkajs in its own process imports this module instead, and prints every other warning.
for (const printWarning of process.listeners('warning')) {
  process.off('warning', printWarning);
  process.on('warning', (warning) => warning.name !== 'TimeoutNegativeWarning' && printWarning(warning));
}
