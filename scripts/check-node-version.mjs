// Runs before `npm start` and `npm test`, on whatever Node npm found, so it is plain JavaScript.
const required = 24;
const major = Number(process.versions.node.split('.')[0]);
if (major < required) {
  console.error(
    [
      `This project needs Node ${required} LTS; this shell has Node ${process.version}.`,
      `  With nvm:     nvm install && nvm use          (reads .nvmrc)`,
      `  Without nvm:  source scripts/use-node-24.sh    (fetches Node ${required} from the npm registry into .cache/)`,
    ].join('\n'),
  );
  process.exit(1);
}
