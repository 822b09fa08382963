/* Internal helpers shared by the CBaseline sources; not part of the API. */
#ifndef CB_INTERNAL_H
#define CB_INTERNAL_H

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* CLOCK_MONOTONIC: immune to wall-clock steps during a run, and cheap (vDSO),
 * so the clock itself adds only tens of nanoseconds to a measurement. */
static inline uint64_t cb_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline double cb_ns_to_us(uint64_t ns) { return (double)ns / 1e3; }
static inline double cb_ns_to_s(uint64_t ns)  { return (double)ns / 1e9; }

/* ------------------------------------------------------------ common -- */

/* Big-endian so that byte order (LMDB's default comparator) equals numeric
 * order, which is what makes MDB_APPEND legal - same encoding as the daemon. */
static inline void cb_key_set_seq(unsigned char key[8], uint64_t seq)
{
    for (int i = 7; i >= 0; i--) {
        key[i] = (unsigned char)(seq & 0xff);
        seq >>= 8;
    }
}

/* A Unix socket address for `path` (EINVAL if empty, ENAMETOOLONG if it does not fit). */
static inline int cb_make_addr(const char *path, struct sockaddr_un *addr)
{
    size_t len = strlen(path);
    if (len == 0) return EINVAL;
    if (len >= sizeof addr->sun_path) return ENAMETOOLONG;
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    memcpy(addr->sun_path, path, len + 1);
    return 0;
}

/* MSG_NOSIGNAL: a peer that has gone away must yield EPIPE, not a SIGPIPE
 * that would kill the host process (Swift does not ignore SIGPIPE). */
static inline int cb_send_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t w = send(fd, buf, len, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        buf += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Make `dir` hold no LMDB environment, so every write benchmark starts from
 * an empty file (growth from zero is part of what the daemon experiences).
 * Only LMDB's own two files are removed, never anything else. */
static inline int cb_fresh_dir(const char *dir)
{
    char path[PATH_MAX];
    static const char *const files[] = { "data.mdb", "lock.mdb" };

    if (mkdir(dir, 0755) != 0 && errno != EEXIST) return errno;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        int len = snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        if (len < 0 || (size_t)len >= sizeof path) return ENAMETOOLONG;
        if (unlink(path) != 0 && errno != ENOENT) return errno;
    }
    return 0;
}

#endif /* CB_INTERNAL_H */
