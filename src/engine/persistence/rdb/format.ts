// The RDB file format as Redis 7.0 defines it (rdb.h): magic, version, opcodes, on-disk type bytes,
// length and special string encodings. On-disk types are fixed forever; in-memory kinds may change.
//
// Layout: "REDIS" + 4 ASCII version digits, then opcodes/entries, then EOF (255) and an 8-byte
// little-endian CRC64 of everything before it (0 = checksum disabled).
//
// Length encoding (first byte's two high bits):
//   00|XXXXXX                  6-bit length
//   01|XXXXXX XXXXXXXX         14-bit length (big-endian across the two bytes)
//   10|000000 + 4 bytes        32-bit big-endian length   (0x80)
//   10|000001 + 8 bytes        64-bit big-endian length   (0x81)
//   11|XXXXXX                  special string encoding in the low 6 bits (RDB_ENC_*)

/** "REDIS" */
export const RDB_MAGIC = "REDIS";
/** The version Redis 7.0 writes. */
export const RDB_VERSION = 10;
/** The newest version this reader accepts (Redis 7.0 refuses newer files, so do we). */
export const RDB_MAX_READABLE_VERSION = 10;

export const RDB_6BITLEN = 0;
export const RDB_14BITLEN = 1;
export const RDB_32BITLEN = 0x80;
export const RDB_64BITLEN = 0x81;
export const RDB_ENCVAL = 3;

export const RDB_ENC_INT8 = 0;
export const RDB_ENC_INT16 = 1;
export const RDB_ENC_INT32 = 2;
export const RDB_ENC_LZF = 3;

// Value types (the byte before each key).
export const RDB_TYPE_STRING = 0;
export const RDB_TYPE_LIST = 1;
export const RDB_TYPE_SET = 2;
export const RDB_TYPE_ZSET = 3;
export const RDB_TYPE_HASH = 4;
export const RDB_TYPE_ZSET_2 = 5;
export const RDB_TYPE_MODULE = 6;
export const RDB_TYPE_MODULE_2 = 7;
export const RDB_TYPE_HASH_ZIPMAP = 9;
export const RDB_TYPE_LIST_ZIPLIST = 10;
export const RDB_TYPE_SET_INTSET = 11;
export const RDB_TYPE_ZSET_ZIPLIST = 12;
export const RDB_TYPE_HASH_ZIPLIST = 13;
export const RDB_TYPE_LIST_QUICKLIST = 14;
export const RDB_TYPE_STREAM_LISTPACKS = 15;
export const RDB_TYPE_HASH_LISTPACK = 16;
export const RDB_TYPE_ZSET_LISTPACK = 17;
export const RDB_TYPE_LIST_QUICKLIST_2 = 18;
export const RDB_TYPE_STREAM_LISTPACKS_2 = 19;

// Opcodes, counting down from 255.
export const RDB_OPCODE_FUNCTION2 = 245;
export const RDB_OPCODE_FUNCTION_PRE_GA = 246;
export const RDB_OPCODE_MODULE_AUX = 247;
export const RDB_OPCODE_IDLE = 248;
export const RDB_OPCODE_FREQ = 249;
export const RDB_OPCODE_AUX = 250;
export const RDB_OPCODE_RESIZEDB = 251;
export const RDB_OPCODE_EXPIRETIME_MS = 252;
export const RDB_OPCODE_EXPIRETIME = 253;
export const RDB_OPCODE_SELECTDB = 254;
export const RDB_OPCODE_EOF = 255;

// Quicklist 2 node containers.
export const QUICKLIST_NODE_CONTAINER_PLAIN = 1;
export const QUICKLIST_NODE_CONTAINER_PACKED = 2;

// Old ZSET (type 3) scores are strings whose length byte may carry these special values.
export const RDB_DOUBLE_NAN = 253;
export const RDB_DOUBLE_POS_INF = 254;
export const RDB_DOUBLE_NEG_INF = 255;

/** Human names of the value types (check-rdb output, error messages). */
export const RDB_TYPE_NAMES: Readonly<Record<number, string>> = {
  [RDB_TYPE_STRING]: "string",
  [RDB_TYPE_LIST]: "list (linked list)",
  [RDB_TYPE_SET]: "set",
  [RDB_TYPE_ZSET]: "zset (string scores)",
  [RDB_TYPE_HASH]: "hash",
  [RDB_TYPE_ZSET_2]: "zset",
  [RDB_TYPE_MODULE]: "module (v1)",
  [RDB_TYPE_MODULE_2]: "module",
  [RDB_TYPE_HASH_ZIPMAP]: "hash (zipmap)",
  [RDB_TYPE_LIST_ZIPLIST]: "list (ziplist)",
  [RDB_TYPE_SET_INTSET]: "set (intset)",
  [RDB_TYPE_ZSET_ZIPLIST]: "zset (ziplist)",
  [RDB_TYPE_HASH_ZIPLIST]: "hash (ziplist)",
  [RDB_TYPE_LIST_QUICKLIST]: "list (quicklist)",
  [RDB_TYPE_STREAM_LISTPACKS]: "stream",
  [RDB_TYPE_HASH_LISTPACK]: "hash (listpack)",
  [RDB_TYPE_ZSET_LISTPACK]: "zset (listpack)",
  [RDB_TYPE_LIST_QUICKLIST_2]: "list (quicklist 2)",
  [RDB_TYPE_STREAM_LISTPACKS_2]: "stream (v2)",
};
