/**
 * Stands in for Home Assistant's recorder during a read: appends state rows to a WAL database
 * in one-second-sized commits until it has written `count` rows, then exits.
 * Usage: node --import tsx keep-writing.ts FILE FIRST_TS COUNT
 */
import Database from 'better-sqlite3';

const [file, firstText, countText] = process.argv.slice(2);
if (file === undefined || firstText === undefined || countText === undefined) {
  throw new Error('usage: keep-writing.ts FILE FIRST_TS COUNT');
}

const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('busy_timeout = 5000');
const insert = db.prepare(
  `INSERT INTO states (metadata_id, state, last_updated_ts, origin_idx)
   VALUES ((SELECT metadata_id FROM states_meta WHERE entity_id = 'light.hall'), ?, ?, 0)`,
);
const commit = db.transaction((first: number, rows: number) => {
  for (let i = first; i < first + rows; i++) {
    insert.run(i % 2 === 0 ? 'on' : 'off', Number(firstText) + i / 100);
  }
});

const total = Number(countText);
process.stdout.write('ready\n');
for (let done = 0; done < total; done += 50) {
  commit(done + 1, 50);
}

db.close();
