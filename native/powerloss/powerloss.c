/* persistlab power-loss shim: an LD_PRELOAD library that journals what a process does to the files
 * under one watched directory (opens, writes, fsyncs with their latency, renames, unlinks, truncates),
 * so that the harness can later rebuild what a power cut would have left on disk.
 *
 * Environment:
 *   PERSISTLAB_POWERLOSS_DIR     watched directory (files at or below it are tracked)
 *   PERSISTLAB_POWERLOSS_LOG     journal file, opened O_APPEND (must be outside the watched directory)
 *   PERSISTLAB_POWERLOSS_SHADOW  optional directory (same filesystem) where the shim hard-links a file
 *                                before a rename replaces it or an unlink removes it, so that an undone
 *                                rename/unlink can restore the old contents
 *   PERSISTLAB_POWERLOSS_SYNC_ONLY  "1": journal no write records (fsync latency tracing only: one journal
 *                                record per fsync instead of one per write, so the traced engine runs at
 *                                nearly full speed; such a journal cannot drive a power cut)
 *   PERSISTLAB_FAULT_CTL         optional disk-fault control file (outside the watched directory), mapped
 *                                shared: the harness writes the active fault into it at any time and reads
 *                                back the shim's counters. With it, PERSISTLAB_POWERLOSS_LOG is optional.
 *
 * Disk faults (only for files at or below the watched directory, only while the control file says so):
 *   disk-full   writes fail with ENOSPC, creating a file or directory fails with ENOSPC
 *   write-eio   writes fail with EIO
 *   fsync-eio   fsync/fdatasync fail with EIO; with the drop flag the file's bytes written since its last
 *               successful sync are dropped (cut off the file), as Linux drops dirty pages after a writeback
 *               error: a later fsync succeeds and the data is gone
 *   slow-fsync  fsync/fdatasync first sleep a seeded delay between min and max milliseconds
 *   read-only   opening for writing, creating, renaming, unlinking, truncating and writing fail with EROFS
 * Control file layout (little-endian u32 unless noted), see src/harness/.../disk-fault-control.ts:
 *   0 magic "PLF1"  4 kind (0 none, 1 disk-full, 2 write-eio, 3 fsync-eio, 4 slow-fsync, 5 read-only)
 *   8 flags (bit 0: drop unsynced bytes on fsync-eio)  12 delay min ms  16 delay max ms  20 seed
 *   32.. u64 counters written by the shim: 32 writes failed, 40 syncs failed, 48 opens/names failed,
 *   56 syncs delayed, 64 bytes dropped, 72 total delay in microseconds
 *
 * Journal record (one write(2) per record, never buffered, so a SIGKILL can at worst tear the last one):
 *   '@' LLLL ' ' CCCCCCCC ' ' payload '\n'
 *   LLLL = payload length (4 hex digits), CCCCCCCC = CRC-32 (IEEE) of the payload (8 hex digits).
 *   payload = 14 tab-separated fields: op tNs pid tid fd dev ino a b c res path path2 extra
 *   op: O open file, D open directory, W write, S fsync/fdatasync of a file, Y fsync of a directory,
 *       F sync_file_range, R rename, U unlink, T truncate, C close, G sync()/syncfs(), H hello (start).
 *   The reader ignores records whose length or checksum do not match (torn records).
 * Interposed: open open64 openat openat64 __open_2 __open64_2 __openat_2 __openat64_2 creat creat64
 *   fopen fopen64 fclose write pwrite pwrite64 writev pwritev pwritev64 pwritev2 pwritev64v2 fsync
 *   fdatasync sync_file_range sync syncfs rename renameat renameat2 unlink unlinkat ftruncate
 *   ftruncate64 truncate truncate64 close dup2 dup3, and syscall() for close/write/pwrite64/writev/
 *   pwritev/pwritev2/fsync/fdatasync (libuv closes files with syscall(SYS_close)).
 * Not seen: other raw syscalls, io_uring, mmap writes, dup'ed descriptors, writes done inside libc
 *   (fwrite reaches the kernel without passing through write(): covered because sizes are taken with
 *   fstat at each fsync and at crash time, not summed from write records). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define PL_MAX_FD 65536
#define PL_RECORD_MAX 8192

/* One tracked descriptor: its canonical path and whether it is a directory. */
struct pl_fd {
  int is_dir;
  long long synced_size; /* size at open or after the last successful sync: what a dropped writeback keeps */
  unsigned long long dev;
  unsigned long long ino;
  char path[];
};

static struct pl_fd *pl_table[PL_MAX_FD];
static char pl_dir[PATH_MAX];
static size_t pl_dir_len;
static char pl_shadow[PATH_MAX];
static int pl_log_fd = -1;
static int pl_ready;
static int pl_sync_only;
static unsigned long pl_shadow_seq;
static uint32_t pl_crc_table[256];

/* ---- real functions, resolved once with RTLD_NEXT ---- */
static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_openat64)(int, const char *, int, ...);
static int (*real___open_2)(const char *, int);
static int (*real___open64_2)(const char *, int);
static int (*real___openat_2)(int, const char *, int);
static int (*real___openat64_2)(int, const char *, int);
static int (*real_creat)(const char *, mode_t);
static int (*real_creat64)(const char *, mode_t);
static FILE *(*real_fopen)(const char *, const char *);
static FILE *(*real_fopen64)(const char *, const char *);
static int (*real_fclose)(FILE *);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_pwritev)(int, const struct iovec *, int, off_t);
static ssize_t (*real_pwritev64)(int, const struct iovec *, int, off_t);
static ssize_t (*real_pwritev2)(int, const struct iovec *, int, off_t, int);
static ssize_t (*real_pwritev64v2)(int, const struct iovec *, int, off_t, int);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_sync_file_range)(int, off_t, off_t, unsigned int);
static void (*real_sync)(void);
static int (*real_syncfs)(int);
static int (*real_rename)(const char *, const char *);
static int (*real_renameat)(int, const char *, int, const char *);
static int (*real_renameat2)(int, const char *, int, const char *, unsigned int);
static int (*real_unlink)(const char *);
static int (*real_unlinkat)(int, const char *, int);
static int (*real_ftruncate)(int, off_t);
static int (*real_ftruncate64)(int, off_t);
static int (*real_truncate)(const char *, off_t);
static int (*real_truncate64)(const char *, off_t);
static int (*real_close)(int);
static long (*real_syscall)(long, ...);
static int (*real_dup2)(int, int);
static int (*real_dup3)(int, int, int);
static int (*real_mkdir)(const char *, mode_t);
static int (*real_mkdirat)(int, const char *, mode_t);
static size_t (*real_fwrite)(const void *, size_t, size_t, FILE *);
static int (*real_fflush)(FILE *);

#define PL_RESOLVE(name) (real_##name = dlsym(RTLD_NEXT, #name))

static void pl_resolve_all(void) {
  PL_RESOLVE(open); PL_RESOLVE(open64); PL_RESOLVE(openat); PL_RESOLVE(openat64);
  PL_RESOLVE(__open_2); PL_RESOLVE(__open64_2); PL_RESOLVE(__openat_2); PL_RESOLVE(__openat64_2);
  PL_RESOLVE(creat); PL_RESOLVE(creat64); PL_RESOLVE(fopen); PL_RESOLVE(fopen64); PL_RESOLVE(fclose);
  PL_RESOLVE(write); PL_RESOLVE(pwrite); PL_RESOLVE(pwrite64); PL_RESOLVE(writev);
  PL_RESOLVE(pwritev); PL_RESOLVE(pwritev64); PL_RESOLVE(pwritev2); PL_RESOLVE(pwritev64v2);
  PL_RESOLVE(fsync); PL_RESOLVE(fdatasync); PL_RESOLVE(sync_file_range); PL_RESOLVE(sync);
  PL_RESOLVE(syncfs); PL_RESOLVE(rename); PL_RESOLVE(renameat); PL_RESOLVE(renameat2);
  PL_RESOLVE(unlink); PL_RESOLVE(unlinkat); PL_RESOLVE(ftruncate); PL_RESOLVE(ftruncate64);
  PL_RESOLVE(truncate); PL_RESOLVE(truncate64); PL_RESOLVE(close);
  PL_RESOLVE(syscall); PL_RESOLVE(dup2); PL_RESOLVE(dup3); PL_RESOLVE(mkdir); PL_RESOLVE(mkdirat);
  PL_RESOLVE(fwrite); PL_RESOLVE(fflush);
}

/* ---- journal ---- */
static void pl_crc_init(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    pl_crc_table[i] = c;
  }
}

static uint32_t pl_crc32(const char *data, size_t length) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < length; i++) c = pl_crc_table[(c ^ (unsigned char)data[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

static long long pl_now_ns(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Appends one record with a single write(2); errno is preserved for the caller. */
static void pl_emit(char op, int fd, unsigned long long dev, unsigned long long ino, long long a, long long b,
                    long long c, long long res, const char *path, const char *path2, const char *extra) {
  if (pl_log_fd < 0 || !real_write) return;
  int saved = errno;
  char record[PL_RECORD_MAX];
  char *payload = record + 15;
  int room = PL_RECORD_MAX - 16;
  int n = snprintf(payload, (size_t)room, "%c\t%lld\t%d\t%ld\t%d\t%llu\t%llu\t%lld\t%lld\t%lld\t%lld\t%s\t%s\t%s", op,
                   pl_now_ns(CLOCK_REALTIME), (int)getpid(), (long)gettid(), fd, dev, ino, a, b, c, res,
                   path ? path : "", path2 ? path2 : "", extra ? extra : "");
  if (n < 0 || n >= room || n > 0xFFFF) { errno = saved; return; }
  char header[16];
  snprintf(header, sizeof header, "@%04x %08x ", (unsigned)n, (unsigned)pl_crc32(payload, (size_t)n));
  memcpy(record, header, 15);
  payload[n] = '\n';
  ssize_t ignored = real_write(pl_log_fd, record, (size_t)(15 + n + 1));
  (void)ignored;
  errno = saved;
}

/* ---- paths ---- */
static int pl_watched(const char *abs) {
  if (!pl_ready || !abs) return 0;
  if (strncmp(abs, pl_dir, pl_dir_len) != 0) return 0;
  return abs[pl_dir_len] == '\0' || abs[pl_dir_len] == '/';
}

/* Canonical path of an open descriptor, via /proc/self/fd. */
static int pl_fd_path(int fd, char *out, size_t size) {
  char link[64];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, out, size - 1);
  if (n <= 0) return -1;
  out[n] = '\0';
  return 0;
}

/* Canonical path of `path` (relative to dirfd) without following its last component: the parent is
 * resolved with realpath, the last component appended. Returns -1 when the parent cannot be resolved. */
static int pl_abs_path(int dirfd, const char *path, char *out, size_t size) {
  char joined[PATH_MAX * 2];
  if (path[0] == '/') {
    snprintf(joined, sizeof joined, "%s", path);
  } else {
    char base[PATH_MAX];
    if (dirfd == AT_FDCWD) {
      if (!getcwd(base, sizeof base)) return -1;
    } else if (pl_fd_path(dirfd, base, sizeof base) != 0) {
      return -1;
    }
    snprintf(joined, sizeof joined, "%s/%s", base, path);
  }
  size_t len = strlen(joined);
  while (len > 1 && joined[len - 1] == '/') joined[--len] = '\0';
  char *slash = strrchr(joined, '/');
  if (!slash) return -1;
  const char *leaf = slash + 1;
  char parent[PATH_MAX];
  if (slash == joined) {
    snprintf(parent, sizeof parent, "/");
  } else {
    *slash = '\0';
    if (!realpath(joined, parent)) return -1;
  }
  if (strcmp(leaf, ".") == 0 || strcmp(leaf, "..") == 0 || leaf[0] == '\0') {
    char full[PATH_MAX * 2];
    snprintf(full, sizeof full, "%s/%s", parent, leaf);
    if (!realpath(full, out)) return -1;
    return 0;
  }
  if (strcmp(parent, "/") == 0) snprintf(out, size, "/%s", leaf);
  else snprintf(out, size, "%s/%s", parent, leaf);
  return 0;
}

/* ---- descriptor table ---- */
static void pl_forget(int fd) {
  if (fd < 0 || fd >= PL_MAX_FD) return;
  struct pl_fd *old = __atomic_exchange_n(&pl_table[fd], NULL, __ATOMIC_ACQ_REL);
  free(old);
}

static struct pl_fd *pl_lookup(int fd) {
  if (fd < 0 || fd >= PL_MAX_FD) return NULL;
  return __atomic_load_n(&pl_table[fd], __ATOMIC_ACQUIRE);
}

/* After a successful open: track the descriptor if it names something under the watched directory. */
static void pl_after_open(int fd, int flags, int existed) {
  if (!pl_ready || fd < 0) return;
  char path[PATH_MAX];
  if (pl_fd_path(fd, path, sizeof path) != 0 || !pl_watched(path)) return;
  struct stat st;
  if (fstat(fd, &st) != 0) return;
  int is_dir = S_ISDIR(st.st_mode) ? 1 : 0;
  if (!is_dir && !S_ISREG(st.st_mode)) return;
  if (fd < PL_MAX_FD) {
    size_t len = strlen(path);
    struct pl_fd *entry = malloc(sizeof *entry + len + 1);
    if (entry) {
      entry->is_dir = is_dir;
      entry->synced_size = (long long)st.st_size;
      entry->dev = (unsigned long long)st.st_dev;
      entry->ino = (unsigned long long)st.st_ino;
      memcpy(entry->path, path, len + 1);
      struct pl_fd *old = __atomic_exchange_n(&pl_table[fd], entry, __ATOMIC_ACQ_REL);
      free(old);
    }
  }
  int created = (flags & O_CREAT) && !existed;
  pl_emit(is_dir ? 'D' : 'O', fd, (unsigned long long)st.st_dev, (unsigned long long)st.st_ino, flags, created,
          (long long)st.st_size, fd, path, NULL, NULL);
}

/* Whether `path` (relative to dirfd) exists right now: needed to tell a create from an open. */
static int pl_exists(int dirfd, const char *path) {
  struct stat st;
  return fstatat(dirfd, path, &st, 0) == 0;
}

/* ---- disk faults (read from the shared control file) ---- */
enum { PL_FAULT_NONE = 0, PL_FAULT_DISK_FULL = 1, PL_FAULT_WRITE_EIO = 2, PL_FAULT_FSYNC_EIO = 3, PL_FAULT_SLOW_FSYNC = 4,
       PL_FAULT_READ_ONLY = 5 };
#define PL_CTL_SIZE 4096
#define PL_CTL_MAGIC 0x31464c50u /* "PLF1" read as a little-endian u32 */
#define PL_CTL_FLAG_DROP 1u
enum { PL_COUNT_WRITES = 32, PL_COUNT_SYNCS = 40, PL_COUNT_NAMES = 48, PL_COUNT_DELAYED = 56, PL_COUNT_DROPPED = 64,
       PL_COUNT_DELAY_US = 72 };
static unsigned char *pl_ctl;
static unsigned long pl_delay_seq;

static uint32_t pl_ctl_u32(size_t offset) { return __atomic_load_n((uint32_t *)(void *)(pl_ctl + offset), __ATOMIC_RELAXED); }

static void pl_ctl_count(size_t offset, uint64_t amount) {
  if (pl_ctl) __atomic_add_fetch((uint64_t *)(void *)(pl_ctl + offset), amount, __ATOMIC_RELAXED);
}

/* The fault in force right now (PL_FAULT_NONE without a control file). */
static int pl_fault_kind(void) {
  if (!pl_ctl || pl_ctl_u32(0) != PL_CTL_MAGIC) return PL_FAULT_NONE;
  return (int)pl_ctl_u32(4);
}

/* The errno that writing to descriptor `fd` fails with under the current fault, or 0. */
static int pl_write_fault(int fd) {
  int kind = pl_fault_kind();
  if (kind != PL_FAULT_DISK_FULL && kind != PL_FAULT_WRITE_EIO && kind != PL_FAULT_READ_ONLY) return 0;
  struct pl_fd *entry = pl_lookup(fd);
  if (!entry || entry->is_dir) return 0;
  pl_ctl_count(PL_COUNT_WRITES, 1);
  return kind == PL_FAULT_DISK_FULL ? ENOSPC : kind == PL_FAULT_WRITE_EIO ? EIO : EROFS;
}

#define PL_FAIL_WRITE(fd)          \
  do {                             \
    int pl_error = pl_write_fault(fd); \
    if (pl_error) {                \
      errno = pl_error;            \
      return -1;                   \
    }                              \
  } while (0)

/* The errno that changing the name `path` (relative to dirfd) fails with: creating it when it does not exist
 * (`creates`), or any change to it (`changes`: open for writing, rename, unlink, truncate); 0 when allowed. */
static int pl_name_fault(int dirfd, const char *path, int creates, int changes) {
  int kind = pl_fault_kind();
  int error = 0;
  if (kind == PL_FAULT_READ_ONLY && (creates || changes)) error = EROFS;
  else if (kind == PL_FAULT_DISK_FULL && creates) error = ENOSPC;
  if (!error || !path) return 0;
  char abs[PATH_MAX];
  if (pl_abs_path(dirfd, path, abs, sizeof abs) != 0 || !pl_watched(abs)) return 0;
  if (error == ENOSPC) {
    struct stat st;
    if (lstat(abs, &st) == 0) return 0; /* opening an existing file needs no new space */
  }
  pl_ctl_count(PL_COUNT_NAMES, 1);
  return error;
}

static uint64_t pl_mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

/* slow-fsync: sleeps a seeded delay in [min, max] ms (the seed, the process and a call counter pick it). */
static void pl_fault_delay(void) {
  int saved = errno;
  uint32_t low = pl_ctl_u32(12), high = pl_ctl_u32(16);
  if (high < low) high = low;
  unsigned long n = __atomic_add_fetch(&pl_delay_seq, 1, __ATOMIC_RELAXED);
  uint64_t draw = pl_mix64(((uint64_t)pl_ctl_u32(20) << 32) ^ ((uint64_t)getpid() << 24) ^ (uint64_t)n);
  uint64_t ms = low + draw % ((uint64_t)(high - low) + 1);
  struct timespec rest = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
  while (nanosleep(&rest, &rest) != 0 && errno == EINTR) {
  }
  pl_ctl_count(PL_COUNT_DELAYED, 1);
  pl_ctl_count(PL_COUNT_DELAY_US, ms * 1000);
  errno = saved;
}

/* Maps the control file named by PERSISTLAB_FAULT_CTL; returns 1 when faults can be injected. */
static int pl_map_control(void) {
  const char *path = getenv("PERSISTLAB_FAULT_CTL");
  if (!path || !path[0] || !real_open) return 0;
  int fd = real_open(path, O_RDWR | O_CLOEXEC);
  if (fd < 0) return 0;
  void *map = mmap(NULL, PL_CTL_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  real_close(fd);
  if (map == MAP_FAILED) return 0;
  pl_ctl = map;
  return 1;
}

static void pl_after_write(int fd, long long offset, ssize_t written) {
  if (written <= 0 || pl_sync_only) return;
  struct pl_fd *entry = pl_lookup(fd);
  if (!entry || entry->is_dir) return;
  if (offset < 0) {
    off_t end = lseek(fd, 0, SEEK_CUR);
    offset = end >= 0 ? (long long)end - written : -1;
  }
  pl_emit('W', fd, entry->dev, entry->ino, offset, (long long)written, 0, (long long)written, entry->path, NULL, NULL);
}

/* Hard-links the file at `abs` into the shadow directory; writes the link's path into `out` ("" if none). */
static void pl_shadow_link(const char *abs, const struct stat *st, char *out, size_t size) {
  out[0] = '\0';
  if (pl_shadow[0] == '\0') return;
  unsigned long seq = __atomic_add_fetch(&pl_shadow_seq, 1, __ATOMIC_RELAXED);
  snprintf(out, size, "%s/%llu-%llu-%d-%lu", pl_shadow, (unsigned long long)st->st_dev, (unsigned long long)st->st_ino,
           (int)getpid(), seq);
  if (link(abs, out) != 0) out[0] = '\0';
}

/* ---- constructor ---- */
__attribute__((constructor)) static void pl_init(void) {
  pl_crc_init();
  pl_resolve_all();
  const char *dir = getenv("PERSISTLAB_POWERLOSS_DIR");
  const char *log = getenv("PERSISTLAB_POWERLOSS_LOG");
  const char *shadow = getenv("PERSISTLAB_POWERLOSS_SHADOW");
  const char *sync_only = getenv("PERSISTLAB_POWERLOSS_SYNC_ONLY");
  pl_sync_only = sync_only && sync_only[0] == '1';
  if (!dir || !real_open || !real_write) return;
  if (!realpath(dir, pl_dir)) return;
  pl_dir_len = strlen(pl_dir);
  if (pl_dir_len == 1) pl_dir_len = 0; /* watching "/" */
  if (shadow && shadow[0]) {
    mkdir(shadow, 0700);
    if (!realpath(shadow, pl_shadow)) pl_shadow[0] = '\0';
  }
  int faults = pl_map_control();
  int fd = log && log[0] ? real_open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644) : -1;
  if (fd >= 0) {
    /* Keep the journal descriptor out of the low numbers the program may dup2 onto. */
    int high = fcntl(fd, F_DUPFD_CLOEXEC, 900);
    if (high >= 0) {
      real_close(fd);
      fd = high;
    }
    pl_log_fd = fd;
  }
  if (fd < 0 && !faults) return;
  pl_ready = 1;
  pl_emit('H', -1, 0, 0, 1, 0, 0, 0, pl_dir, pl_shadow, NULL);
}

/* ---- open family ---- */
#define PL_MODE_ARG(flags, mode)                                  \
  mode_t mode = 0;                                                \
  if ((flags) & (O_CREAT | O_TMPFILE)) {                        \
    va_list ap;                                                   \
    va_start(ap, flags);                                          \
    mode = (mode_t)va_arg(ap, int);                               \
    va_end(ap);                                                   \
  }

#define PL_WRITES_NAME(flags) (((flags) & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)) != 0)
#define PL_OPEN_BODY(call, dirfd, path, flags)                    \
  if (pl_ready && pl_ctl) {                                       \
    int fault = pl_name_fault(dirfd, path, ((flags) & O_CREAT) != 0, PL_WRITES_NAME(flags)); \
    if (fault) {                                                  \
      errno = fault;                                              \
      return -1;                                                  \
    }                                                             \
  }                                                               \
  int existed = ((flags) & O_CREAT) && pl_ready ? pl_exists(dirfd, path) : 1; \
  int fd = call;                                                  \
  if (fd >= 0) pl_after_open(fd, flags, existed);                 \
  return fd;

int open(const char *path, int flags, ...) {
  PL_MODE_ARG(flags, mode);
  if (!real_open) pl_resolve_all();
  PL_OPEN_BODY(real_open(path, flags, mode), AT_FDCWD, path, flags);
}
int open64(const char *path, int flags, ...) {
  PL_MODE_ARG(flags, mode);
  if (!real_open64) pl_resolve_all();
  PL_OPEN_BODY(real_open64(path, flags, mode), AT_FDCWD, path, flags);
}
int openat(int dirfd, const char *path, int flags, ...) {
  PL_MODE_ARG(flags, mode);
  if (!real_openat) pl_resolve_all();
  PL_OPEN_BODY(real_openat(dirfd, path, flags, mode), dirfd, path, flags);
}
int openat64(int dirfd, const char *path, int flags, ...) {
  PL_MODE_ARG(flags, mode);
  if (!real_openat64) pl_resolve_all();
  PL_OPEN_BODY(real_openat64(dirfd, path, flags, mode), dirfd, path, flags);
}
int __open_2(const char *path, int flags) {
  if (!real___open_2) pl_resolve_all();
  PL_OPEN_BODY(real___open_2(path, flags), AT_FDCWD, path, flags);
}
int __open64_2(const char *path, int flags) {
  if (!real___open64_2) pl_resolve_all();
  PL_OPEN_BODY(real___open64_2(path, flags), AT_FDCWD, path, flags);
}
int __openat_2(int dirfd, const char *path, int flags) {
  if (!real___openat_2) pl_resolve_all();
  PL_OPEN_BODY(real___openat_2(dirfd, path, flags), dirfd, path, flags);
}
int __openat64_2(int dirfd, const char *path, int flags) {
  if (!real___openat64_2) pl_resolve_all();
  PL_OPEN_BODY(real___openat64_2(dirfd, path, flags), dirfd, path, flags);
}
int creat(const char *path, mode_t mode) {
  if (!real_creat) pl_resolve_all();
  int flags = O_CREAT | O_WRONLY | O_TRUNC;
  PL_OPEN_BODY(real_creat(path, mode), AT_FDCWD, path, flags);
}
int creat64(const char *path, mode_t mode) {
  if (!real_creat64) pl_resolve_all();
  int flags = O_CREAT | O_WRONLY | O_TRUNC;
  PL_OPEN_BODY(real_creat64(path, mode), AT_FDCWD, path, flags);
}

/* fopen's internal open does not pass through open(): track by fileno afterwards. */
static int pl_fopen_flags(const char *mode) {
  int flags = 0;
  if (mode[0] == 'w' || mode[0] == 'a') flags |= O_CREAT;
  if (mode[0] == 'w') flags |= O_TRUNC;
  return flags;
}
/* A fault refusing fopen(path, mode) sets errno and makes the caller return NULL. */
static int pl_fopen_fault(const char *path, const char *mode) {
  if (!pl_ready || !pl_ctl) return 0;
  int fault = pl_name_fault(AT_FDCWD, path, mode[0] == 'w' || mode[0] == 'a', mode[0] != 'r' || strchr(mode, '+') != NULL);
  if (fault) errno = fault;
  return fault;
}
FILE *fopen(const char *path, const char *mode) {
  if (!real_fopen) pl_resolve_all();
  if (pl_fopen_fault(path, mode)) return NULL;
  int flags = pl_fopen_flags(mode);
  int existed = (flags & O_CREAT) && pl_ready ? pl_exists(AT_FDCWD, path) : 1;
  FILE *file = real_fopen(path, mode);
  if (file) pl_after_open(fileno(file), flags, existed);
  return file;
}
FILE *fopen64(const char *path, const char *mode) {
  if (!real_fopen64) pl_resolve_all();
  if (pl_fopen_fault(path, mode)) return NULL;
  int flags = pl_fopen_flags(mode);
  int existed = (flags & O_CREAT) && pl_ready ? pl_exists(AT_FDCWD, path) : 1;
  FILE *file = real_fopen64(path, mode);
  if (file) pl_after_open(fileno(file), flags, existed);
  return file;
}
int fclose(FILE *file) {
  if (!real_fclose) pl_resolve_all();
  int fd = file ? fileno(file) : -1;
  struct pl_fd *entry = pl_lookup(fd);
  int result = real_fclose(file);
  if (entry) {
    pl_emit('C', fd, entry->dev, entry->ino, 0, 0, 0, result, entry->path, NULL, NULL);
    pl_forget(fd);
  }
  return result;
}

/* ---- writes ---- */
ssize_t write(int fd, const void *buffer, size_t count) {
  if (!real_write) pl_resolve_all();
  PL_FAIL_WRITE(fd);
  ssize_t n = real_write(fd, buffer, count);
  if (pl_lookup(fd)) pl_after_write(fd, -1, n);
  return n;
}
ssize_t pwrite(int fd, const void *buffer, size_t count, off_t offset) {
  if (!real_pwrite) pl_resolve_all();
  PL_FAIL_WRITE(fd);
  ssize_t n = real_pwrite(fd, buffer, count, offset);
  if (pl_lookup(fd)) pl_after_write(fd, (long long)offset, n);
  return n;
}
ssize_t pwrite64(int fd, const void *buffer, size_t count, off_t offset) {
  if (!real_pwrite64) pl_resolve_all();
  PL_FAIL_WRITE(fd);
  ssize_t n = real_pwrite64(fd, buffer, count, offset);
  if (pl_lookup(fd)) pl_after_write(fd, (long long)offset, n);
  return n;
}
ssize_t writev(int fd, const struct iovec *iov, int count) {
  if (!real_writev) pl_resolve_all();
  PL_FAIL_WRITE(fd);
  ssize_t n = real_writev(fd, iov, count);
  if (pl_lookup(fd)) pl_after_write(fd, -1, n);
  return n;
}
ssize_t pwritev(int fd, const struct iovec *iov, int count, off_t offset) {
  if (!real_pwritev) pl_resolve_all();
  PL_FAIL_WRITE(fd);
  ssize_t n = real_pwritev(fd, iov, count, offset);
  if (pl_lookup(fd)) pl_after_write(fd, (long long)offset, n);
  return n;
}
ssize_t pwritev64(int fd, const struct iovec *iov, int count, off_t offset) {
  if (!real_pwritev64) pl_resolve_all();
  PL_FAIL_WRITE(fd);
  ssize_t n = real_pwritev64(fd, iov, count, offset);
  if (pl_lookup(fd)) pl_after_write(fd, (long long)offset, n);
  return n;
}
ssize_t pwritev2(int fd, const struct iovec *iov, int count, off_t offset, int flags) {
  if (!real_pwritev2) pl_resolve_all();
  PL_FAIL_WRITE(fd);
  ssize_t n = real_pwritev2(fd, iov, count, offset, flags);
  if (pl_lookup(fd)) pl_after_write(fd, (long long)offset, n);
  return n;
}
ssize_t pwritev64v2(int fd, const struct iovec *iov, int count, off_t offset, int flags) {
  if (!real_pwritev64v2) pl_resolve_all();
  PL_FAIL_WRITE(fd);
  ssize_t n = real_pwritev64v2(fd, iov, count, offset, flags);
  if (pl_lookup(fd)) pl_after_write(fd, (long long)offset, n);
  return n;
}

/* stdio: fwrite's own flushes call the kernel from inside libc, unseen; refuse at fwrite/fflush instead. */
size_t fwrite(const void *buffer, size_t size, size_t count, FILE *file) {
  if (!real_fwrite) pl_resolve_all();
  if (pl_ctl) {
    int error = pl_write_fault(fileno(file));
    if (error) {
      errno = error;
      return 0;
    }
  }
  return real_fwrite(buffer, size, count, file);
}
int fflush(FILE *file) {
  if (!real_fflush) pl_resolve_all();
  if (pl_ctl) {
    int error = pl_write_fault(fileno(file));
    if (error) {
      errno = error;
      return EOF;
    }
  }
  return real_fflush(file);
}

/* ---- syncs ---- */
static void pl_after_ftruncate(int fd, off_t length, int result);

/* fsync-eio: the sync fails; with the drop flag, what was written since the last good sync is cut off. */
static int pl_fail_sync(int fd, struct pl_fd *entry) {
  pl_ctl_count(PL_COUNT_SYNCS, 1);
  struct stat st;
  if (!entry->is_dir && (pl_ctl_u32(8) & PL_CTL_FLAG_DROP) && fstat(fd, &st) == 0 && st.st_size > entry->synced_size) {
    int result = real_ftruncate(fd, (off_t)entry->synced_size);
    if (result == 0) pl_ctl_count(PL_COUNT_DROPPED, (uint64_t)(st.st_size - entry->synced_size));
    pl_after_ftruncate(fd, (off_t)entry->synced_size, result);
  }
  errno = EIO;
  return -1;
}

static int pl_sync_fd(int fd, int (*call)(int), int kind) {
  struct pl_fd *entry = pl_lookup(fd);
  if (!entry) return call(fd);
  int fault = pl_fault_kind();
  long long start = pl_now_ns(CLOCK_MONOTONIC);
  if (fault == PL_FAULT_SLOW_FSYNC) pl_fault_delay();
  int result = fault == PL_FAULT_FSYNC_EIO ? pl_fail_sync(fd, entry) : call(fd);
  long long latency = pl_now_ns(CLOCK_MONOTONIC) - start;
  int saved = errno;
  struct stat st;
  long long size = -1;
  unsigned long long dev = 0, ino = 0;
  if (fstat(fd, &st) == 0) {
    size = (long long)st.st_size;
    dev = (unsigned long long)st.st_dev;
    ino = (unsigned long long)st.st_ino;
    if (result == 0) entry->synced_size = size;
  }
  errno = saved;
  pl_emit(entry->is_dir ? 'Y' : 'S', fd, dev, ino, kind, size, latency, result == 0 ? 0 : -saved, entry->path, NULL, NULL);
  errno = saved;
  return result;
}
int fsync(int fd) {
  if (!real_fsync) pl_resolve_all();
  return pl_sync_fd(fd, real_fsync, 0);
}
int fdatasync(int fd) {
  if (!real_fdatasync) pl_resolve_all();
  return pl_sync_fd(fd, real_fdatasync, 1);
}
int sync_file_range(int fd, off_t offset, off_t nbytes, unsigned int flags) {
  if (!real_sync_file_range) pl_resolve_all();
  int result = real_sync_file_range(fd, offset, nbytes, flags);
  struct pl_fd *entry = pl_lookup(fd);
  if (entry) pl_emit('F', fd, entry->dev, entry->ino, (long long)offset, (long long)nbytes, flags, result, entry->path, NULL, NULL);
  return result;
}
void sync(void) {
  if (!real_sync) pl_resolve_all();
  real_sync();
  pl_emit('G', -1, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL);
}
int syncfs(int fd) {
  if (!real_syncfs) pl_resolve_all();
  int result = real_syncfs(fd);
  if (result == 0) pl_emit('G', fd, 0, 0, 1, 0, 0, 0, NULL, NULL, NULL);
  return result;
}

/* ---- namespace ---- */
static int pl_rename_common(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags,
                            int use2, int useat) {
  char oldabs[PATH_MAX], newabs[PATH_MAX];
  int track = pl_ready && pl_abs_path(olddirfd, oldpath, oldabs, sizeof oldabs) == 0 &&
              pl_abs_path(newdirfd, newpath, newabs, sizeof newabs) == 0 && (pl_watched(oldabs) || pl_watched(newabs));
  struct stat src, dst;
  int have_src = track && lstat(oldabs, &src) == 0;
  int have_dst = track && lstat(newabs, &dst) == 0 && S_ISREG(dst.st_mode);
  if (pl_ctl && pl_fault_kind() == PL_FAULT_READ_ONLY) {
    int fault = pl_name_fault(olddirfd, oldpath, 0, 1);
    if (!fault) fault = pl_name_fault(newdirfd, newpath, 0, 1);
    if (fault) {
      errno = fault;
      return -1;
    }
  }
  char shadow[PATH_MAX];
  shadow[0] = '\0';
  if (have_dst && pl_watched(newabs)) pl_shadow_link(newabs, &dst, shadow, sizeof shadow);
  int result;
  if (use2) result = real_renameat2(olddirfd, oldpath, newdirfd, newpath, flags);
  else if (useat) result = real_renameat(olddirfd, oldpath, newdirfd, newpath);
  else result = real_rename(oldpath, newpath);
  int saved = errno;
  if (track) {
    if (result != 0 && shadow[0]) {
      real_unlink(shadow);
      shadow[0] = '\0';
    }
    /* a = inode of the replaced file (0 none), b = 1 when a directory was renamed; extra = shadow link */
    pl_emit('R', -1, have_src ? (unsigned long long)src.st_dev : 0, have_src ? (unsigned long long)src.st_ino : 0,
            have_dst ? (long long)dst.st_ino : 0, have_src && S_ISDIR(src.st_mode) ? 1 : 0, 0, result == 0 ? 0 : -saved,
            oldabs, newabs, shadow);
  }
  errno = saved;
  return result;
}
int rename(const char *oldpath, const char *newpath) {
  if (!real_rename) pl_resolve_all();
  return pl_rename_common(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0, 0, 0);
}
int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath) {
  if (!real_renameat) pl_resolve_all();
  return pl_rename_common(olddirfd, oldpath, newdirfd, newpath, 0, 0, 1);
}
int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags) {
  if (!real_renameat2) pl_resolve_all();
  return pl_rename_common(olddirfd, oldpath, newdirfd, newpath, flags, 1, 1);
}

static int pl_unlink_common(int dirfd, const char *path, int flags, int useat) {
  if (pl_ready && pl_ctl) {
    int fault = pl_name_fault(dirfd, path, 0, 1);
    if (fault) {
      errno = fault;
      return -1;
    }
  }
  char abs[PATH_MAX];
  int track = pl_ready && pl_abs_path(dirfd, path, abs, sizeof abs) == 0 && pl_watched(abs);
  struct stat st;
  int have = track && lstat(abs, &st) == 0 && S_ISREG(st.st_mode);
  char shadow[PATH_MAX];
  shadow[0] = '\0';
  if (have) pl_shadow_link(abs, &st, shadow, sizeof shadow);
  int result = useat ? real_unlinkat(dirfd, path, flags) : real_unlink(path);
  int saved = errno;
  if (track && (have || result == 0)) {
    if (result != 0 && shadow[0]) {
      real_unlink(shadow);
      shadow[0] = '\0';
    }
    pl_emit('U', -1, have ? (unsigned long long)st.st_dev : 0, have ? (unsigned long long)st.st_ino : 0, flags, 0, 0,
            result == 0 ? 0 : -saved, abs, NULL, shadow);
  }
  errno = saved;
  return result;
}
int unlink(const char *path) {
  if (!real_unlink) pl_resolve_all();
  return pl_unlink_common(AT_FDCWD, path, 0, 0);
}
int unlinkat(int dirfd, const char *path, int flags) {
  if (!real_unlinkat) pl_resolve_all();
  return pl_unlink_common(dirfd, path, flags, 1);
}

/* ---- truncation and close ---- */
static void pl_after_ftruncate(int fd, off_t length, int result) {
  struct pl_fd *entry = pl_lookup(fd);
  if (!entry || result != 0) return;
  struct stat st;
  unsigned long long ino = fstat(fd, &st) == 0 ? (unsigned long long)st.st_ino : 0;
  pl_emit('T', fd, ino ? (unsigned long long)st.st_dev : 0, ino, (long long)length, 0, 0, 0, entry->path, NULL, NULL);
}
int ftruncate(int fd, off_t length) {
  if (!real_ftruncate) pl_resolve_all();
  if (pl_ctl && pl_fault_kind() == PL_FAULT_READ_ONLY) PL_FAIL_WRITE(fd);
  int result = real_ftruncate(fd, length);
  int saved = errno;
  pl_after_ftruncate(fd, length, result);
  errno = saved;
  return result;
}
int ftruncate64(int fd, off_t length) {
  if (!real_ftruncate64) pl_resolve_all();
  if (pl_ctl && pl_fault_kind() == PL_FAULT_READ_ONLY) PL_FAIL_WRITE(fd);
  int result = real_ftruncate64(fd, length);
  int saved = errno;
  pl_after_ftruncate(fd, length, result);
  errno = saved;
  return result;
}
static void pl_after_truncate(const char *path, off_t length, int result) {
  if (!pl_ready || result != 0) return;
  char abs[PATH_MAX];
  if (pl_abs_path(AT_FDCWD, path, abs, sizeof abs) != 0 || !pl_watched(abs)) return;
  struct stat st;
  unsigned long long ino = stat(abs, &st) == 0 ? (unsigned long long)st.st_ino : 0;
  pl_emit('T', -1, ino ? (unsigned long long)st.st_dev : 0, ino, (long long)length, 0, 0, 0, abs, NULL, NULL);
}
int truncate(const char *path, off_t length) {
  if (!real_truncate) pl_resolve_all();
  if (pl_ready && pl_ctl) {
    int fault = pl_name_fault(AT_FDCWD, path, 0, 1);
    if (fault) {
      errno = fault;
      return -1;
    }
  }
  int result = real_truncate(path, length);
  int saved = errno;
  pl_after_truncate(path, length, result);
  errno = saved;
  return result;
}
int truncate64(const char *path, off_t length) {
  if (!real_truncate64) pl_resolve_all();
  if (pl_ready && pl_ctl) {
    int fault = pl_name_fault(AT_FDCWD, path, 0, 1);
    if (fault) {
      errno = fault;
      return -1;
    }
  }
  int result = real_truncate64(path, length);
  int saved = errno;
  pl_after_truncate(path, length, result);
  errno = saved;
  return result;
}
int close(int fd) {
  if (!real_close) pl_resolve_all();
  if (fd == pl_log_fd && pl_log_fd >= 0) {
    errno = EBADF; /* the program closing descriptors in bulk must not close the journal */
    return -1;
  }
  struct pl_fd *entry = pl_lookup(fd);
  if (entry) {
    pl_emit('C', fd, entry->dev, entry->ino, 0, 0, 0, 0, entry->path, NULL, NULL);
    pl_forget(fd);
  }
  return real_close(fd);
}

/* mkdir under the watched directory: refused while the disk is full (a new entry) or read-only. */
int mkdir(const char *path, mode_t mode) {
  if (!real_mkdir) pl_resolve_all();
  if (pl_ready && pl_ctl) {
    int fault = pl_name_fault(AT_FDCWD, path, 1, 1);
    if (fault) {
      errno = fault;
      return -1;
    }
  }
  return real_mkdir(path, mode);
}
int mkdirat(int dirfd, const char *path, mode_t mode) {
  if (!real_mkdirat) pl_resolve_all();
  if (pl_ready && pl_ctl) {
    int fault = pl_name_fault(dirfd, path, 1, 1);
    if (fault) {
      errno = fault;
      return -1;
    }
  }
  return real_mkdirat(dirfd, path, mode);
}

/* dup2/dup3 onto a tracked descriptor silently close it: forget the old meaning. */
int dup2(int oldfd, int newfd) {
  if (!real_dup2) pl_resolve_all();
  int result = real_dup2(oldfd, newfd);
  if (result >= 0 && oldfd != newfd && pl_lookup(newfd)) pl_forget(newfd);
  return result;
}
int dup3(int oldfd, int newfd, int flags) {
  if (!real_dup3) pl_resolve_all();
  int result = real_dup3(oldfd, newfd, flags);
  if (result >= 0 && pl_lookup(newfd)) pl_forget(newfd);
  return result;
}

/* libuv (Node) closes descriptors with syscall(SYS_close, fd) to dodge cancellation points: without this
 * a file's stale entry would make later socket writes on the reused number look like file writes.
 * The common file syscalls issued this way are journalled like their libc wrappers. */
long syscall(long number, ...) {
  if (!real_syscall) pl_resolve_all();
  va_list ap;
  va_start(ap, number);
  long a1 = va_arg(ap, long), a2 = va_arg(ap, long), a3 = va_arg(ap, long);
  long a4 = va_arg(ap, long), a5 = va_arg(ap, long), a6 = va_arg(ap, long);
  va_end(ap);
  int fd = (int)a1;
  switch (number) {
    case SYS_close: {
      struct pl_fd *entry = pl_lookup(fd);
      if (entry) {
        pl_emit('C', fd, entry->dev, entry->ino, 0, 0, 0, 0, entry->path, NULL, NULL);
        pl_forget(fd);
      }
      break;
    }
    case SYS_fsync:
      return pl_lookup(fd) ? (long)fsync(fd) : real_syscall(number, a1, a2, a3, a4, a5, a6);
    case SYS_fdatasync:
      return pl_lookup(fd) ? (long)fdatasync(fd) : real_syscall(number, a1, a2, a3, a4, a5, a6);
    case SYS_write:
    case SYS_writev: {
      PL_FAIL_WRITE(fd);
      long result = real_syscall(number, a1, a2, a3, a4, a5, a6);
      if (pl_lookup(fd)) pl_after_write(fd, -1, (ssize_t)result);
      return result;
    }
    case SYS_pwrite64:
    case SYS_pwritev:
    case SYS_pwritev2: {
      PL_FAIL_WRITE(fd);
      long result = real_syscall(number, a1, a2, a3, a4, a5, a6);
      if (pl_lookup(fd)) pl_after_write(fd, number == SYS_pwrite64 ? (long long)a4 : (long long)a4, (ssize_t)result);
      return result;
    }
    default:
      break;
  }
  return real_syscall(number, a1, a2, a3, a4, a5, a6);
}
