#!/bin/sh
# A corrected restore of a dump.rdb backup, for Redis 7.0 (and the bundled engine). persistlab stops the
# engine (SIGKILL) before this script and starts it, with its usual configuration, after.
# appendonly no: the engine loads dump.rdb at start-up, so replacing it is the restore.
# appendonly yes: the engine loads the AOF and never reads dump.rdb; and with the AOF directory merely moved
# away, Redis 7.0 starts with an empty data set (it creates a new, empty AOF and still ignores dump.rdb). So
# the AOF directory is moved aside (kept, not deleted) and a new one is made whose base file *is* the backup:
# Redis 7.0's multi-part AOF accepts an RDB-format base (appendonly.aof.<n>.base.rdb, as aof-use-rdb-preamble
# writes it), listed in the manifest as `type b`. The engine then loads the backup and appends new writes to a
# fresh incr file. (The other way, starting with appendonly no and then CONFIG SET appendonly yes, which
# rewrites the AOF from the loaded data, needs the script to start the server itself; here persistlab does.)
# Environment (set by persistlab): DATA_DIR, DBFILENAME, BACKUP_DIR, APPENDONLY (yes/no), APPENDDIRNAME,
# APPENDFILENAME.
set -eu
backup="$BACKUP_DIR/dump.rdb"
[ -s "$backup" ] || { echo "no backup at $backup: nothing to restore" >&2; exit 1; }
cp "$backup" "$DATA_DIR/$DBFILENAME.tmp"
mv "$DATA_DIR/$DBFILENAME.tmp" "$DATA_DIR/$DBFILENAME"
if [ "$APPENDONLY" = "yes" ]; then
  aofdir="$DATA_DIR/$APPENDDIRNAME"
  if [ -e "$aofdir" ]; then
    mv "$aofdir" "$aofdir.before-restore.$(date +%s)"
  fi
  mkdir "$aofdir"
  base="$APPENDFILENAME.1.base.rdb"
  cp "$backup" "$aofdir/$base"
  printf 'file %s seq 1 type b\n' "$base" > "$aofdir/$APPENDFILENAME.manifest"
  echo "AOF directory set aside; new AOF base is the backup ($base)"
fi
echo "restored $backup"
