/* LMDB read baselines on an existing environment: random point reads and a scan of one named
 * database, for the as-of benchmarks (the floor under a lookup and under reading a catalogue). */
#define _GNU_SOURCE
#include "cbaseline.h"
#include "cb_internal.h"

#include <errno.h>
#include <lmdb.h>
#include <stdint.h>
#include <string.h>

static int open_named(const char *dir, const char *db, MDB_env **env_out, MDB_dbi *dbi_out)
{
    MDB_env *env = NULL;
    MDB_txn *txn = NULL;
    int rc;
    if ((rc = mdb_env_create(&env)) != 0) return rc;
    if ((rc = mdb_env_set_maxdbs(env, 64)) != 0) goto fail;
    if ((rc = mdb_env_set_maxreaders(env, 126)) != 0) goto fail;
    /* The map must cover the file: let LMDB take the size recorded in it. */
    if ((rc = mdb_env_open(env, dir, MDB_NOTLS | MDB_RDONLY, 0644)) != 0) goto fail;
    if ((rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn)) != 0) goto fail;
    if ((rc = mdb_dbi_open(txn, db, 0, dbi_out)) != 0) goto fail;
    if ((rc = mdb_txn_commit(txn)) != 0) { txn = NULL; goto fail; }
    *env_out = env;
    return 0;
fail:
    if (txn) mdb_txn_abort(txn);
    mdb_env_close(env);
    return rc;
}

/* SplitMix64: a deterministic generator without shared state. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

int cb_lmdb_point_reads(const char *dir, const char *db, unsigned long long max_key, int n,
                        unsigned long long seed, double *latencies_us, long long *bytes_read)
{
    if (dir == NULL || db == NULL || max_key < 1 || n < 1) return EINVAL;
    MDB_env *env = NULL;
    MDB_dbi dbi;
    int rc = open_named(dir, db, &env, &dbi);
    if (rc != 0) return rc;
    uint64_t state = seed, acc = 0;
    long long total = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        uint64_t key = 1 + next_random(&state) % max_key;
        unsigned char keybuf[8];
        for (int b = 7; b >= 0; b--) { keybuf[b] = (unsigned char)(key & 0xff); key >>= 8; }
        MDB_txn *txn = NULL;
        MDB_cursor *cur = NULL;
        uint64_t start = cb_now_ns();
        if ((rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn)) == 0 && (rc = mdb_cursor_open(txn, dbi, &cur)) == 0) {
            MDB_val k = { sizeof keybuf, keybuf }, v;
            rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
            if (rc == 0) {
                const unsigned char *p = v.mv_data;
                for (size_t j = 0; j < v.mv_size; j++) acc += p[j];
                total += (long long)v.mv_size;
            } else if (rc == MDB_NOTFOUND) {
                rc = 0;
            }
        }
        if (cur) mdb_cursor_close(cur);
        if (txn) mdb_txn_abort(txn);
        if (latencies_us) latencies_us[i] = cb_ns_to_us(cb_now_ns() - start);
    }
    mdb_env_close(env);
    volatile uint64_t sink = acc;
    (void)sink;
    if (bytes_read) *bytes_read = total;
    return rc;
}

int cb_lmdb_scan_db(const char *dir, const char *db, long long *count, long long *bytes, double *seconds)
{
    if (dir == NULL || db == NULL) return EINVAL;
    MDB_env *env = NULL;
    MDB_dbi dbi;
    int rc = open_named(dir, db, &env, &dbi);
    if (rc != 0) return rc;
    long long n = 0, total = 0;
    uint64_t acc = 0;
    MDB_txn *txn = NULL;
    MDB_cursor *cur = NULL;
    uint64_t start = cb_now_ns();
    if ((rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn)) != 0) goto out;
    if ((rc = mdb_cursor_open(txn, dbi, &cur)) != 0) goto out;
    MDB_val k, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        const unsigned char *p = v.mv_data;
        for (size_t j = 0; j < v.mv_size; j++) acc += p[j];
        total += (long long)(k.mv_size + v.mv_size);
        n++;
    }
    if (rc == MDB_NOTFOUND) rc = 0;
out:
    if (cur) mdb_cursor_close(cur);
    if (txn) mdb_txn_abort(txn);
    uint64_t elapsed = cb_now_ns() - start;
    mdb_env_close(env);
    volatile uint64_t sink = acc;
    (void)sink;
    if (rc == 0) {
        if (count) *count = n;
        if (bytes) *bytes = total;
        if (seconds) *seconds = cb_ns_to_s(elapsed);
    }
    return rc;
}
