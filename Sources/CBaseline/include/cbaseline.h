/*
 * cbaseline.h - raw C baselines for the Shixiang benchmark.
 *
 * These functions measure what the hardware and libraries can do with no
 * daemon in the way: LMDB durable commits shaped like the daemon's event-log
 * appends, and newline-delimited round trips over a Unix domain socket.  The
 * Swift benchmark calls them in the same run as the daemon so both sets of
 * figures come from the same machine under the same conditions.
 *
 * Conventions shared by every function:
 *   - Return 0 on success, otherwise a positive errno value or a (negative)
 *     MDB_* error code.  cb_strerror() turns either into text.  Nothing here
 *     exits, aborts, raises signals or writes to stdout/stderr.
 *   - Output buffers belong to the caller; any memory allocated internally
 *     is freed before return (or by cb_echo_server_stop for the server).
 *   - No global state: every function may be called from any thread,
 *     including Swift concurrency threads.  The one LMDB restriction applies:
 *     a process must not have the same environment directory open twice, so
 *     do not run two cb_lmdb_* calls on one directory at once, nor point one
 *     at a directory the daemon (if in-process) holds open.
 *   - Latencies are in microseconds, times in seconds, both measured with
 *     CLOCK_MONOTONIC.
 *
 * This header depends on libc only; <lmdb.h> is needed by the .c files alone.
 */
#ifndef CBASELINE_H
#define CBASELINE_H

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- LMDB -- */

/*
 * Durable append baseline, done the way the daemon does it.
 *
 * Creates `dir` if missing and deletes any data.mdb / lock.mdb in it (no
 * other file is touched), then opens a fresh environment: map size 1 GiB,
 * flags MDB_NOTLS only - i.e. LMDB's default fully durable commit (fsync of
 * data and meta page), no MDB_NOSYNC / MDB_NOMETASYNC / MDB_WRITEMAP.  One
 * named database "events" is created (in an untimed setup transaction).
 *
 * Then runs `txn_count` write transactions, each putting `events_per_txn`
 * events with MDB_APPEND: key = 8-byte big-endian sequence number starting
 * at 1, value = `value_size` bytes of pseudo-JSON text carrying the sequence
 * number.  The environment is closed before returning; the files remain in
 * `dir` so a later cb_lmdb_scan_bench can read them.
 *
 *   latencies_us   NULL, or txn_count entries: wall time from
 *                  mdb_txn_begin to the return of mdb_txn_commit, per txn.
 *   total_seconds  NULL, or receives the wall time of all timed txns
 *                  (events/s = events_per_txn * txn_count / total_seconds).
 *
 * Errors: EINVAL for bad arguments (dir NULL, counts < 1, value_size < 1
 * or > 16 MiB), MDB_MAP_FULL if the run outgrows 1 GiB, I/O errnos.
 */
int cb_lmdb_append_bench(const char *dir, int events_per_txn, int txn_count,
                         int value_size, double *latencies_us,
                         double *total_seconds);

/*
 * Like cb_lmdb_append_bench, but with the daemon's storage layout: every
 * event is also indexed in "events-by-stream" (key "item-<n>", 0x00, version
 * 8 bytes BE, for one of `streams` streams drawn at random) and in
 * "events-by-id" (a random 16-byte id), both with MDB_NOOVERWRITE, in the
 * same durable transaction.  The floor under a daemon append: what the three
 * B-trees cost in LMDB alone, without sockets, JSON or hashing.
 */
int cb_lmdb_append_indexed_bench(const char *dir, int events_per_txn, int txn_count,
                                 int value_size, int streams, double *latencies_us,
                                 double *total_seconds);

/*
 * Fast bulk fill for read benchmarks only (NOT a durability baseline).
 *
 * Like cb_lmdb_append_bench - fresh environment in `dir`, database "events",
 * keys 1..n big-endian with MDB_APPEND, same pseudo-JSON values - but opened
 * with MDB_NOSYNC so commits skip fsync, and with the map size grown to fit
 * `n` events (at least 1 GiB).  One fsync at the end makes the file complete
 * on disk before the environment is closed.
 */
int cb_lmdb_fill(const char *dir, long long n, int value_size,
                 int events_per_txn);

/*
 * "Write the projections" floor: a fresh environment in `dir` (map sized to
 * fit), then ONE durable write transaction putting `n` values of
 * `value_size` bytes under keys 1..n (8-byte big-endian, MDB_APPEND: pages
 * packed full), committed with LMDB's default two flushes.  The least any
 * rebuild that writes that many bytes of records into LMDB can take.  With
 * `write_map`, written through the map (MDB_WRITEMAP) into a data file first
 * allocated up to the map size, as the registry writes.
 *
 *   put_seconds     NULL, or receives the time of the puts.
 *   commit_seconds  NULL, or receives the time of mdb_txn_commit (page
 *                   writes and syncs).
 */
int cb_lmdb_bulk_write_bench(const char *dir, long long n, int value_size,
                             int write_map, double *put_seconds, double *commit_seconds);

/*
 * "Rebuild from the log" baseline: one read transaction, one cursor walk
 * MDB_FIRST..MDB_NEXT over the whole "events" database in `dir` (opened
 * MDB_RDONLY), reading every byte of every key and value (summed into a
 * checksum so the reads cannot be optimised away).  This is a lower bound:
 * no decoding is done.  The page cache is whatever it happens to be (warm if
 * the log was just written).
 *
 *   count    NULL, or receives the number of entries visited.
 *   seconds  NULL, or receives the wall time from txn begin to txn end.
 *
 * Errors: ENOENT / MDB_NOTFOUND if the environment or database is missing.
 */
int cb_lmdb_scan_bench(const char *dir, long long *count, double *seconds);

/*
 * Random point reads on an existing environment (opened read-only, MDB_NOTLS;
 * the map size is taken from the file): `n` lookups in the named database `db`,
 * each in its own read transaction, as a request would do it: a cursor seek
 * (MDB_SET_RANGE) to a random 8-byte big-endian key in [1, max_key] (SplitMix64
 * from `seed`), reading every byte of the value found.  latencies_us (NULL or n
 * entries) gets each lookup's time from txn begin to txn end; bytes_read (NULL
 * or) the value bytes read.  The floor under an as-of point lookup.
 */
int cb_lmdb_point_reads(const char *dir, const char *db, unsigned long long max_key, int n,
                        unsigned long long seed, double *latencies_us, long long *bytes_read);

/*
 * One read transaction, one cursor walk over the named database `db` of an
 * existing environment, reading every byte of every value: count of entries,
 * bytes of keys and values, wall time.  The floor under reading a whole
 * projection (e.g. the catalogue, p-items).
 */
int cb_lmdb_scan_db(const char *dir, const char *db, long long *count, long long *bytes, double *seconds);

/* ------------------------------------------------------ Unix socket -- */

/*
 * Start a newline-delimited echo server on `socket_path` (AF_UNIX,
 * SOCK_STREAM).  A stale socket file at that path is unlinked first; any
 * other kind of file makes it fail with EEXIST.  One accept thread, plus one
 * thread per connection doing blocking reads: each complete line received
 * (including its '\n') is written back unchanged; a trailing partial line is
 * held until its '\n' arrives.  Lines up to 16 MiB; a longer one closes that
 * connection.  Server threads block all signals, and writes use
 * MSG_NOSIGNAL, so a vanished client cannot raise SIGPIPE.
 *
 *   handle   receives an opaque pointer for cb_echo_server_stop.
 *
 * Errors: ENAMETOOLONG if the path does not fit sun_path, socket/bind/listen
 * errnos, thread-creation errors.
 */
int cb_echo_server_start(const char *socket_path, void **handle);

/*
 * Stop the server: wake and join the accept thread, shut down and join every
 * connection thread, close all descriptors, unlink the socket file, free the
 * handle.  Blocks until all server threads are gone.  Returns EINVAL for a
 * NULL handle; otherwise 0 (or the errno of a failed unlink, after
 * everything else has been released - the handle is freed either way).
 */
int cb_echo_server_stop(void *handle);

/*
 * Closed-loop echo client: one connection to `socket_path`; `round_trips`
 * times, send `line` followed by '\n' and read until the '\n' of the reply,
 * recording the time from the start of the send to the arrival of that '\n'.
 * The reply is checked byte for byte against what was sent.
 *
 *   line          NUL-terminated, must not itself contain '\n'.
 *   latencies_us  NULL, or round_trips entries.
 *
 * Errors: EINVAL (bad arguments / '\n' in line), connect/send/recv errnos,
 * ECONNRESET if the server closes early, EPROTO if the reply differs.
 */
int cb_echo_client_bench(const char *socket_path, const char *line,
                         int round_trips, double *latencies_us);

/* ------------------------------------------------- daemon ceiling -- */

/* What one cb_daemon_append_bench run measured. */
typedef struct cb_daemon_figures {
    double seconds;          /* wall time of the timed appends (all clients) */
    long long appends;       /* timed appends: clients * per_client */
    long long commits;       /* durable commits, warm-up included */
    long long events;        /* events in them, warm-up included */
    double commit_seconds;   /* time inside those commits (puts, page writes, syncs) */
} cb_daemon_figures;

/*
 * The ceiling under a daemon's N-client durable append throughput: the
 * leanest group-committing daemon, in C, in this process, driven by
 * `clients` closed-loop C clients over a Unix socket.
 *
 * A fresh environment in `dir` (as cb_lmdb_append_bench: 1 GiB map,
 * MDB_NOTLS, LMDB's default durable commit), one database "events".  The
 * server listens on `socket_path` (a stale file there is replaced); one
 * thread waits in epoll for every connection and queues each complete line
 * (no parsing); one committer thread takes everything queued, puts each line
 * as a value under the next 8-byte big-endian seq (MDB_APPEND, one tree, no
 * index, no hashing), commits, and only then answers each writer with
 * {"seq":N}.  With gather_us > 0 the committer first waits, at most that many
 * microseconds, until as many writes are queued as its last commit carried
 * (the writers it just answered coming back), which forms fuller batches.
 *
 * Each client connects, sends `line` (a newline is added) and waits for the
 * answer, `warmup_per_client` times untimed, then, once every client is
 * ready, `per_client` timed times.
 *
 *   latencies_us  NULL, or clients * per_client entries (client i's timed
 *                 round trips at i * per_client).
 *
 * Errors: EINVAL (bad arguments, '\n' in line, a line of 64 KiB or more), socket
 * and LMDB errors of the server, or of the first client that failed.
 */
int cb_daemon_append_bench(const char *dir, const char *socket_path,
                           const char *line, int clients, int per_client,
                           int warmup_per_client, int gather_us,
                           double *latencies_us, cb_daemon_figures *out);

/* ---------------------------------------------------------- helpers -- */

/*
 * Summary statistics of `n` values.  `values` is not modified (a copy is
 * sorted).  Percentiles use the nearest-rank method: pXX is the smallest
 * value with at least XX% of the samples at or below it.  Any of the output
 * pointers may be NULL.  Errors: EINVAL if values is NULL or n < 1, ENOMEM.
 */
int cb_percentiles(double *values, int n, double *p50, double *p99,
                   double *mean);

/*
 * Text for a return code of any function above (errno values and MDB_*
 * codes alike).  Points to static storage; do not free.
 */
const char *cb_strerror(int rc);

#ifdef __cplusplus
}
#endif

#endif /* CBASELINE_H */
