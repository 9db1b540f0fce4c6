#!/bin/sh
# A corrected backup of dump.rdb, for Redis 7.0 (and the bundled engine):
# 1. note LASTSAVE before asking for the save;
# 2. BGSAVE until it answers "Background saving started": a save already running (a save point, an AOF
#    rewrite) makes BGSAVE answer an error, and that save may have begun before this script, so it is not
#    ours: retry until ours starts;
# 3. wait until no save runs any more (rdb_bgsave_in_progress:0): ours has ended;
# 4. check that it succeeded (rdb_last_bgsave_status:ok) and that LASTSAVE moved past the value noted in 1
#    (LASTSAVE counts whole seconds: two saves in the same second leave it equal, so equal is only a
#    warning when the status is ok);
# 5. copy dump.rdb under a temporary name and rename it, so a half-copied file never looks like a backup.
# Every wait is bounded (60 s). Environment (set by persistlab): REDIS_CLI, REDIS_HOST, REDIS_PORT, DATA_DIR,
# DBFILENAME, BACKUP_DIR.
set -eu
cli() { "$REDIS_CLI" -h "$REDIS_HOST" -p "$REDIS_PORT" "$@"; }
info_field() { cli INFO persistence | tr -d '\r' | sed -n "s/^$1://p"; }
before=$(cli LASTSAVE)
tries=0
until cli BGSAVE | grep -q "Background saving started"; do
  tries=$((tries + 1)); [ "$tries" -le 600 ] || { echo "BGSAVE never started" >&2; exit 1; }
  sleep 0.1
done
tries=0
while [ "$(info_field rdb_bgsave_in_progress)" != "0" ]; do
  tries=$((tries + 1)); [ "$tries" -le 600 ] || { echo "the BGSAVE did not finish in 60 s" >&2; exit 1; }
  sleep 0.1
done
[ "$(info_field rdb_last_bgsave_status)" = "ok" ] || { echo "the BGSAVE failed (rdb_last_bgsave_status:err): no backup" >&2; exit 1; }
after=$(cli LASTSAVE)
[ "$after" != "$before" ] || echo "warning: LASTSAVE still $before (a save ended in the same second)" >&2
cp "$DATA_DIR/$DBFILENAME" "$BACKUP_DIR/dump.rdb.tmp"
mv "$BACKUP_DIR/dump.rdb.tmp" "$BACKUP_DIR/dump.rdb"
echo "backup of the save at LASTSAVE $after in $BACKUP_DIR/dump.rdb"
