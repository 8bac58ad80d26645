import { runMigrate } from './migrate-command.js';

/** Applies every pending migration. Runs once per deploy, never inside api or worker processes. */
runMigrate(
  process.env,
  (line) => console.log(line),
  (line) => console.error(line),
).then((code) => {
  process.exitCode = code;
});
