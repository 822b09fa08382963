/* LMDB baselines: durable appends, bulk fill, full scan. */
#define _GNU_SOURCE
#include "cbaseline.h"
#include "cb_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CB_DB_NAME      "events"
#define CB_MAP_SIZE     ((size_t)1 << 30)          /* 1 GiB, as specified */
#define CB_MAX_VALUE    (16 * 1024 * 1024)
#define CB_FILE_MODE    0644

/* ------------------------------------------------------------ values -- */

/*
 * Values look like a small JSON event so that their bytes resemble what the
 * daemon stores (LMDB does not compress, so only the length really matters,
 * but a recognisable shape helps when inspecting a file by hand).  The
 * sequence number sits in a fixed-width field so each event only rewrites
 * 20 digits instead of re-formatting the whole value.
 */
static const char value_prefix[] =
    "{\"seq\":00000000000000000000,\"type\":\"entry.put\","
    "\"ns\":\"bench\",\"body\":\"";
#define SEQ_OFFSET 7
#define SEQ_WIDTH  20

static void value_init(char *buf, size_t size)
{
    size_t plen = sizeof value_prefix - 1;
    for (size_t i = 0; i < size; i++) {
        if (i < plen)
            buf[i] = value_prefix[i];
        else
            buf[i] = (char)('a' + (i - plen) % 26);
    }
    /* Close the string and object if there is room after the prefix. */
    if (size >= plen + 2) {
        buf[size - 2] = '"';
        buf[size - 1] = '}';
    }
}

static void value_set_seq(char *buf, size_t size, uint64_t seq)
{
    for (int i = SEQ_WIDTH - 1; i >= 0; i--) {
        size_t pos = SEQ_OFFSET + (size_t)i;
        if (pos < size) buf[pos] = (char)('0' + seq % 10);
        seq /= 10;
    }
}


/* ------------------------------------------------------- environment -- */


/* Open `dir` and the "events" database.  map_size 0 keeps whatever the file
 * records (read-only use).  On failure nothing is left open. */
static int open_events(const char *dir, unsigned int flags, size_t map_size,
                       MDB_env **env_out, MDB_dbi *dbi_out)
{
    MDB_env *env = NULL;
    MDB_txn *txn = NULL;
    int rc;

    if ((rc = mdb_env_create(&env)) != 0) return rc;
    if ((rc = mdb_env_set_maxdbs(env, 1)) != 0) goto fail;
    if (map_size && (rc = mdb_env_set_mapsize(env, map_size)) != 0) goto fail;
    if ((rc = mdb_env_open(env, dir, flags, CB_FILE_MODE)) != 0) goto fail;

    /* Opening the DBI is done in its own (untimed) transaction, as the
     * daemon does once at start-up, so that it is not charged to the first
     * measured commit. */
    int rdonly = (flags & MDB_RDONLY) != 0;
    if ((rc = mdb_txn_begin(env, NULL, rdonly ? MDB_RDONLY : 0, &txn)) != 0)
        goto fail;
    if ((rc = mdb_dbi_open(txn, CB_DB_NAME, rdonly ? 0 : MDB_CREATE,
                           dbi_out)) != 0)
        goto fail;
    if ((rc = mdb_txn_commit(txn)) != 0) { txn = NULL; goto fail; }

    *env_out = env;
    return 0;

fail:
    if (txn) mdb_txn_abort(txn);
    mdb_env_close(env);
    return rc;
}

/* Append events [*next_seq, *next_seq + count) in the open write txn. */
static int put_events(MDB_txn *txn, MDB_dbi dbi, uint64_t *next_seq,
                      long long count, char *value, size_t value_size)
{
    unsigned char keybuf[8];
    for (long long i = 0; i < count; i++) {
        uint64_t seq = (*next_seq)++;
        cb_key_set_seq(keybuf, seq);
        value_set_seq(value, value_size, seq);
        MDB_val k = { .mv_size = sizeof keybuf, .mv_data = keybuf };
        MDB_val v = { .mv_size = value_size, .mv_data = value };
        int rc = mdb_put(txn, dbi, &k, &v, MDB_APPEND);
        if (rc != 0) return rc;
    }
    return 0;
}

/* A fresh environment in `dir` opened with `flags` and `map_size`, its
 * "events" database, and a value buffer of `value_size` bytes, initialised.
 * On failure nothing is left open or allocated. */
static int prepare_events(const char *dir, int value_size, unsigned int flags,
                          size_t map_size, char **value_out,
                          MDB_env **env_out, MDB_dbi *dbi_out)
{
    int rc = cb_fresh_dir(dir);
    if (rc != 0) return rc;
    char *value = malloc((size_t)value_size);
    if (value == NULL) return ENOMEM;
    value_init(value, (size_t)value_size);
    rc = open_events(dir, flags, map_size, env_out, dbi_out);
    if (rc != 0) { free(value); return rc; }
    *value_out = value;
    return 0;
}

/* ------------------------------------------------------------ append -- */

int cb_lmdb_append_bench(const char *dir, int events_per_txn, int txn_count,
                         int value_size, double *latencies_us,
                         double *total_seconds)
{
    if (dir == NULL || events_per_txn < 1 || txn_count < 1 ||
        value_size < 1 || value_size > CB_MAX_VALUE)
        return EINVAL;

    char *value = NULL;
    MDB_env *env = NULL;
    MDB_dbi dbi;
    /* MDB_NOTLS only: LMDB's default commit is fully durable (data pages
     * and meta page each fdatasync'd), which is the point of this baseline. */
    int rc = prepare_events(dir, value_size, MDB_NOTLS, CB_MAP_SIZE, &value, &env, &dbi);
    if (rc != 0) return rc;

    uint64_t seq = 1;
    uint64_t start = cb_now_ns();
    for (int t = 0; t < txn_count; t++) {
        uint64_t t0 = cb_now_ns();
        MDB_txn *txn;
        if ((rc = mdb_txn_begin(env, NULL, 0, &txn)) != 0) break;
        rc = put_events(txn, dbi, &seq, events_per_txn, value,
                        (size_t)value_size);
        if (rc != 0) { mdb_txn_abort(txn); break; }
        if ((rc = mdb_txn_commit(txn)) != 0) break;   /* frees txn anyway */
        if (latencies_us) latencies_us[t] = cb_ns_to_us(cb_now_ns() - t0);
    }
    uint64_t elapsed = cb_now_ns() - start;

    mdb_env_close(env);
    free(value);
    if (rc == 0 && total_seconds) *total_seconds = cb_ns_to_s(elapsed);
    return rc;
}

/* -------------------------------------------------------------- fill -- */

/* Generous map size for n events: with MDB_APPEND leaf pages are packed
 * nearly full, so value + ~20 bytes of node/key/pointer overhead per event
 * is close; values beyond LMDB's node limit (~2 KiB on 4 KiB pages) go to
 * whole overflow pages instead.  30% slack plus 64 MiB covers branch pages
 * and the free list. */
static size_t fill_map_size(long long n, int value_size)
{
    double per_event = (double)value_size + 32.0;
    if (value_size > 2000)
        per_event = (double)(((size_t)value_size + 16 + 4095) / 4096 * 4096) + 32.0;
    double want = (double)n * per_event * 1.3 + 64.0 * 1024 * 1024;
    size_t map = CB_MAP_SIZE;
    if (want > (double)map) {
        size_t mib = (size_t)1 << 20;
        map = ((size_t)want + mib - 1) / mib * mib;
    }
    return map;
}

int cb_lmdb_fill(const char *dir, long long n, int value_size,
                 int events_per_txn)
{
    if (dir == NULL || n < 1 || events_per_txn < 1 ||
        value_size < 1 || value_size > CB_MAX_VALUE)
        return EINVAL;

    char *value = NULL;
    MDB_env *env = NULL;
    MDB_dbi dbi;
    int rc = prepare_events(dir, value_size, MDB_NOTLS | MDB_NOSYNC,
                            fill_map_size(n, value_size), &value, &env, &dbi);
    if (rc != 0) return rc;

    uint64_t seq = 1;
    for (long long done = 0; done < n && rc == 0; ) {
        long long batch = n - done < events_per_txn ? n - done : events_per_txn;
        MDB_txn *txn;
        if ((rc = mdb_txn_begin(env, NULL, 0, &txn)) != 0) break;
        rc = put_events(txn, dbi, &seq, batch, value, (size_t)value_size);
        if (rc != 0) { mdb_txn_abort(txn); break; }
        rc = mdb_txn_commit(txn);
        done += batch;
    }
    /* MDB_NOSYNC skipped every fsync; one forced sync leaves a complete,
     * consistent file for the read benchmarks that follow. */
    if (rc == 0) rc = mdb_env_sync(env, 1);

    mdb_env_close(env);
    free(value);
    return rc;
}

/* -------------------------------------------------------------- scan -- */

/* Add up the bytes eight at a time; memcpy keeps unaligned loads legal and
 * compiles to a plain load.  Every byte is read, which is the point. */
static uint64_t touch(const void *p, size_t len, uint64_t acc)
{
    const unsigned char *b = p;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        acc += w;
    }
    for (; i < len; i++) acc += b[i];
    return acc;
}

int cb_lmdb_scan_bench(const char *dir, long long *count, double *seconds)
{
    if (dir == NULL) return EINVAL;

    MDB_env *env = NULL;
    MDB_dbi dbi;
    int rc = open_events(dir, MDB_NOTLS | MDB_RDONLY, 0, &env, &dbi);
    if (rc != 0) return rc;

    long long n = 0;
    uint64_t acc = 0;
    MDB_txn *txn = NULL;
    MDB_cursor *cur = NULL;

    uint64_t start = cb_now_ns();
    if ((rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn)) != 0) goto out;
    if ((rc = mdb_cursor_open(txn, dbi, &cur)) != 0) goto out;

    MDB_val k, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        acc = touch(k.mv_data, k.mv_size, acc);
        acc = touch(v.mv_data, v.mv_size, acc);
        n++;
    }
    if (rc == MDB_NOTFOUND) rc = 0;   /* normal end of the walk */

out:
    if (cur) mdb_cursor_close(cur);
    if (txn) mdb_txn_abort(txn);      /* read-only: abort is the release */
    uint64_t elapsed = cb_now_ns() - start;
    mdb_env_close(env);

    /* A volatile local forces the checksum to be computed without any
     * shared state; the value itself is of no interest. */
    volatile uint64_t sink = acc;
    (void)sink;

    if (rc == 0) {
        if (count) *count = n;
        if (seconds) *seconds = cb_ns_to_s(elapsed);
    }
    return rc;
}

/* ------------------------------------------------- append, indexed -- */

static uint64_t xorshift64(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

int cb_lmdb_append_indexed_bench(const char *dir, int events_per_txn, int txn_count,
                                 int value_size, int streams, double *latencies_us,
                                 double *total_seconds)
{
    if (dir == NULL || events_per_txn < 1 || txn_count < 1 || streams < 1 ||
        value_size < 1 || value_size > CB_MAX_VALUE)
        return EINVAL;

    int rc = cb_fresh_dir(dir);
    if (rc != 0) return rc;

    char *value = malloc((size_t)value_size);
    uint64_t *versions = calloc((size_t)streams, sizeof *versions);
    if (value == NULL || versions == NULL) { free(value); free(versions); return ENOMEM; }
    value_init(value, (size_t)value_size);

    MDB_env *env = NULL;
    MDB_txn *txn = NULL;
    MDB_dbi events, by_stream, by_id;
    if ((rc = mdb_env_create(&env)) != 0) goto done;
    if ((rc = mdb_env_set_maxdbs(env, 3)) != 0) goto done;
    if ((rc = mdb_env_set_mapsize(env, CB_MAP_SIZE)) != 0) goto done;
    if ((rc = mdb_env_open(env, dir, MDB_NOTLS, CB_FILE_MODE)) != 0) goto done;
    if ((rc = mdb_txn_begin(env, NULL, 0, &txn)) != 0) goto done;
    if ((rc = mdb_dbi_open(txn, CB_DB_NAME, MDB_CREATE, &events)) != 0) goto done;
    if ((rc = mdb_dbi_open(txn, "events-by-stream", MDB_CREATE, &by_stream)) != 0) goto done;
    if ((rc = mdb_dbi_open(txn, "events-by-id", MDB_CREATE, &by_id)) != 0) goto done;
    rc = mdb_txn_commit(txn);
    txn = NULL;
    if (rc != 0) goto done;

    uint64_t seq = 1, rng = 0x9E3779B97F4A7C15ull;
    uint64_t start = cb_now_ns();
    for (int t = 0; t < txn_count && rc == 0; t++) {
        uint64_t t0 = cb_now_ns();
        if ((rc = mdb_txn_begin(env, NULL, 0, &txn)) != 0) break;
        for (int i = 0; i < events_per_txn && rc == 0; i++, seq++) {
            unsigned char seqkey[8];
            cb_key_set_seq(seqkey, seq);
            value_set_seq(value, (size_t)value_size, seq);
            MDB_val k = { .mv_size = 8, .mv_data = seqkey };
            MDB_val v = { .mv_size = (size_t)value_size, .mv_data = value };
            if ((rc = mdb_put(txn, events, &k, &v, MDB_APPEND)) != 0) break;

            /* events-by-stream: "item-<n>" 0x00 version(8 BE) -> seq, streams drawn at random */
            int stream = (int)(xorshift64(&rng) % (uint64_t)streams);
            unsigned char skey[40];
            int n = snprintf((char *)skey, 24, "item-%d", stream);
            skey[n] = 0;
            cb_key_set_seq(skey + n + 1, versions[stream]++);
            MDB_val sk = { .mv_size = (size_t)n + 9, .mv_data = skey };
            MDB_val sv = { .mv_size = 8, .mv_data = seqkey };
            if ((rc = mdb_put(txn, by_stream, &sk, &sv, MDB_NOOVERWRITE)) != 0) break;

            /* events-by-id: a random 16-byte id (UUIDv4-like) -> seq */
            uint64_t id[2] = { xorshift64(&rng), xorshift64(&rng) };
            MDB_val ik = { .mv_size = 16, .mv_data = id };
            if ((rc = mdb_put(txn, by_id, &ik, &sv, MDB_NOOVERWRITE)) != 0) break;
        }
        if (rc != 0) { mdb_txn_abort(txn); txn = NULL; break; }
        rc = mdb_txn_commit(txn);
        txn = NULL;
        if (rc != 0) break;
        if (latencies_us) latencies_us[t] = cb_ns_to_us(cb_now_ns() - t0);
    }
    uint64_t elapsed = cb_now_ns() - start;
    if (rc == 0 && total_seconds) *total_seconds = cb_ns_to_s(elapsed);

done:
    if (txn) mdb_txn_abort(txn);
    if (env) mdb_env_close(env);
    free(value);
    free(versions);
    return rc;
}

/* ---------------------------------------------------------- bulk write -- */

int cb_lmdb_bulk_write_bench(const char *dir, long long n, int value_size,
                             int write_map, double *put_seconds, double *commit_seconds)
{
    if (dir == NULL || n < 1 || value_size < 1 || value_size > CB_MAX_VALUE)
        return EINVAL;
    char *value = NULL;
    MDB_env *env = NULL;
    MDB_dbi dbi;
    unsigned int flags = MDB_NOTLS | (write_map ? MDB_WRITEMAP : 0);
    int rc = prepare_events(dir, value_size, flags, fill_map_size(n, value_size), &value, &env, &dbi);
    if (rc != 0) return rc;
    if (write_map) {
        /* As the registry opens its environment: the file allocated up to the map size
         * (untimed), so that no write through the map needs a block from the disk. */
        MDB_envinfo info;
        mdb_env_info(env, &info);
        int fd = -1;
        if ((rc = mdb_env_get_fd(env, &fd)) != 0 ||
            (rc = posix_fallocate(fd, 0, (off_t)info.me_mapsize)) != 0) {
            mdb_env_close(env);
            free(value);
            return rc;
        }
    }

    MDB_txn *txn = NULL;
    uint64_t t0 = cb_now_ns();
    if ((rc = mdb_txn_begin(env, NULL, 0, &txn)) == 0) {
        uint64_t seq = 1;
        rc = put_events(txn, dbi, &seq, n, value, (size_t)value_size);
        uint64_t t1 = cb_now_ns();
        if (rc != 0) {
            mdb_txn_abort(txn);
        } else {
            rc = mdb_txn_commit(txn);
            if (rc == 0) {
                if (put_seconds) *put_seconds = cb_ns_to_s(t1 - t0);
                if (commit_seconds) *commit_seconds = cb_ns_to_s(cb_now_ns() - t1);
            }
        }
    }
    mdb_env_close(env);
    free(value);
    return rc;
}
