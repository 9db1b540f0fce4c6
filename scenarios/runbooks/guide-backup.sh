#!/bin/sh
# The backup procedure of Redis's persistence guide, as written there: `redis-cli BGSAVE`, then wait with
#   while [ $(redis-cli LASTSAVE) == $(redis-cli LASTSAVE) ]; do sleep 1; done
# then copy dump.rdb. The loop compares two immediate calls of LASTSAVE with each other, never with the value
# before the BGSAVE. Under /bin/sh (dash on Debian) `==` is not a test operator: `[` fails, the loop ends at
# once and whatever dump.rdb is there is copied (none yet, or an old one). Under bash the two calls are
# nearly always equal, so the loop waits until the time limit. Either way it does not wait for the BGSAVE.
# Drilled by scenarios/runbook-drill.json; the corrected version is backup.sh beside it.
# Environment (set by persistlab): REDIS_CLI, REDIS_HOST, REDIS_PORT, DATA_DIR, DBFILENAME, BACKUP_DIR.
cli="$REDIS_CLI -h $REDIS_HOST -p $REDIS_PORT"
$cli BGSAVE
while [ $($cli LASTSAVE) == $($cli LASTSAVE) ]; do sleep 1; done
cp "$DATA_DIR/$DBFILENAME" "$BACKUP_DIR/dump.rdb"
