#!/bin/sh
# The restore procedure of Redis's persistence guide, as written there: stop the server, copy the backup over
# dump.rdb, start the server. persistlab stops the engine (SIGKILL) before this script and starts it after.
# With appendonly yes, Redis 7.0 loads the AOF at start-up and never reads dump.rdb: this restores nothing,
# and the drill reports it so. The corrected version is restore.sh beside it.
# Environment (set by persistlab): DATA_DIR, DBFILENAME, BACKUP_DIR (the backup script's folder).
cp "$BACKUP_DIR/dump.rdb" "$DATA_DIR/$DBFILENAME"
