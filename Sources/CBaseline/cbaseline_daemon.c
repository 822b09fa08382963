/* The leanest group-committing daemon, in C: the ceiling under the daemon's
 * N-client durable append throughput (see cb_daemon_append_bench in
 * cbaseline.h). */
#define _GNU_SOURCE
#include "cbaseline.h"
#include "cb_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define CBD_MAP_SIZE   ((size_t)1 << 30)
#define CBD_LINE_MAX   65536             /* per connection: a request line fits */

struct cbd_conn {
    int fd;
    size_t have;
    char buf[CBD_LINE_MAX];
};

struct cbd_request {
    int fd;
    char *line;                           /* owned; stored as the value */
    size_t len;
};

struct cbd_server {
    MDB_env *env;
    MDB_dbi dbi;
    uint64_t seq;
    int listen_fd, epoll_fd, stop_pipe[2];
    int gather_us;

    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct cbd_request *queue;            /* guarded by mu */
    size_t queued, capacity;
    bool stopping;
    int error;                            /* first failure, 0 if none */

    /* The committer's own counters. */
    long long commits, events;
    double commit_seconds;

    struct cbd_conn **conns;              /* the reader's own */
    size_t nconns;
};

static void cbd_fail(struct cbd_server *s, int rc)
{
    pthread_mutex_lock(&s->mu);
    if (s->error == 0) s->error = rc;
    pthread_mutex_unlock(&s->mu);
}

/* Queues one request line (copied) for the committer. */
static int cbd_enqueue(struct cbd_server *s, int fd, const char *line, size_t len)
{
    char *copy = malloc(len);
    if (copy == NULL) return ENOMEM;
    memcpy(copy, line, len);
    pthread_mutex_lock(&s->mu);
    if (s->queued == s->capacity) {
        size_t cap = s->capacity ? 2 * s->capacity : 256;
        struct cbd_request *q = realloc(s->queue, cap * sizeof *q);
        if (q == NULL) { pthread_mutex_unlock(&s->mu); free(copy); return ENOMEM; }
        s->queue = q;
        s->capacity = cap;
    }
    s->queue[s->queued++] = (struct cbd_request){ fd, copy, len };
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    return 0;
}

/* Reads what `c` has and queues its complete lines; false when it is done. */
static bool cbd_read(struct cbd_server *s, struct cbd_conn *c)
{
    ssize_t r = recv(c->fd, c->buf + c->have, sizeof c->buf - c->have, MSG_DONTWAIT);
    if (r < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    if (r == 0) return false;
    c->have += (size_t)r;
    size_t start = 0;
    for (size_t i = c->have - (size_t)r; i < c->have; i++) {
        if (c->buf[i] != '\n') continue;
        int rc = cbd_enqueue(s, c->fd, c->buf + start, i - start);
        if (rc != 0) { cbd_fail(s, rc); return false; }
        start = i + 1;
    }
    memmove(c->buf, c->buf + start, c->have - start);
    c->have -= start;
    if (c->have == sizeof c->buf) { cbd_fail(s, EMSGSIZE); return false; }
    return true;
}

/* One thread waits in epoll for every connection (and new ones), reads the
 * ready ones and queues their lines: no thread per connection. */
static void *cbd_reader(void *arg)
{
    struct cbd_server *s = arg;
    struct epoll_event events[64];
    for (;;) {
        int n = epoll_wait(s->epoll_fd, events, 64, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            cbd_fail(s, errno);
            return NULL;
        }
        for (int i = 0; i < n; i++) {
            void *tag = events[i].data.ptr;
            if (tag == &s->stop_pipe) return NULL;
            if (tag == &s->listen_fd) {
                int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
                if (fd < 0) continue;
                struct cbd_conn *c = calloc(1, sizeof *c);
                struct cbd_conn **grown = realloc(s->conns, (s->nconns + 1) * sizeof *grown);
                if (c == NULL || grown == NULL) { free(c); close(fd); cbd_fail(s, ENOMEM); continue; }
                s->conns = grown;
                s->conns[s->nconns++] = c;
                c->fd = fd;
                struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
                if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0) cbd_fail(s, errno);
                continue;
            }
            struct cbd_conn *c = tag;
            if (!cbd_read(s, c)) {
                /* Done (or failed): a client still waiting for an answer sees the end, not a hang. */
                epoll_ctl(s->epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
                shutdown(c->fd, SHUT_RDWR);
            }
        }
    }
}

/* Takes whatever is queued (with gather_us: first waits, at most that long,
 * until as many writes are queued as the last commit carried), appends the
 * lines in one durable transaction, then answers each with its seq. */
static void *cbd_committer(void *arg)
{
    struct cbd_server *s = arg;
    struct cbd_request *batch = NULL;
    size_t batch_cap = 0, last = 0;
    for (;;) {
        pthread_mutex_lock(&s->mu);
        while (s->queued == 0 && !s->stopping) pthread_cond_wait(&s->cv, &s->mu);
        if (s->queued == 0) { pthread_mutex_unlock(&s->mu); break; }
        if (s->gather_us > 0 && last > 1 && s->queued < last) {
            struct timespec deadline;
            clock_gettime(CLOCK_REALTIME, &deadline);
            deadline.tv_nsec += (long)s->gather_us * 1000;
            deadline.tv_sec += deadline.tv_nsec / 1000000000;
            deadline.tv_nsec %= 1000000000;
            while (s->queued < last && !s->stopping)
                if (pthread_cond_timedwait(&s->cv, &s->mu, &deadline) != 0) break;
        }
        size_t n = s->queued;
        if (n > batch_cap) {
            struct cbd_request *b = realloc(batch, n * sizeof *b);
            if (b == NULL) { pthread_mutex_unlock(&s->mu); cbd_fail(s, ENOMEM); break; }
            batch = b;
            batch_cap = n;
        }
        memcpy(batch, s->queue, n * sizeof *batch);
        s->queued = 0;
        pthread_mutex_unlock(&s->mu);

        uint64_t t0 = cb_now_ns();
        uint64_t first = s->seq + 1;
        MDB_txn *txn = NULL;
        int rc = mdb_txn_begin(s->env, NULL, 0, &txn);
        for (size_t i = 0; rc == 0 && i < n; i++) {
            unsigned char keybuf[8];
            cb_key_set_seq(keybuf, first + i);
            MDB_val key = { sizeof keybuf, keybuf }, value = { batch[i].len, batch[i].line };
            rc = mdb_put(txn, s->dbi, &key, &value, MDB_APPEND);
        }
        if (rc == 0) rc = mdb_txn_commit(txn);
        else if (txn) mdb_txn_abort(txn);
        s->commit_seconds += cb_ns_to_s(cb_now_ns() - t0);
        if (rc != 0) cbd_fail(s, rc);
        else { s->seq += n; s->commits++; s->events += (long long)n; }
        for (size_t i = 0; i < n; i++) {
            char answer[48];
            int len = rc == 0 ? snprintf(answer, sizeof answer, "{\"seq\":%llu}\n", (unsigned long long)(first + i))
                              : snprintf(answer, sizeof answer, "{\"error\":%d}\n", rc);
            (void)cb_send_all(batch[i].fd, answer, (size_t)len);
            free(batch[i].line);
        }
        last = n;
    }
    free(batch);
    return NULL;
}

/* Holds the clients after their warm-up until every one is ready, so the
 * timed phase starts for all at once. */
struct cbd_gate {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int ready;                            /* clients past their warm-up */
    bool open;                            /* the timed phase has begun (or was called off) */
};

static void cbd_gate_arrive(struct cbd_gate *g)
{
    pthread_mutex_lock(&g->mu);
    g->ready++;
    pthread_cond_broadcast(&g->cv);
    while (!g->open) pthread_cond_wait(&g->cv, &g->mu);
    pthread_mutex_unlock(&g->mu);
}

static void cbd_gate_open(struct cbd_gate *g, int when_ready)
{
    pthread_mutex_lock(&g->mu);
    while (g->ready < when_ready) pthread_cond_wait(&g->cv, &g->mu);
    g->open = true;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
}

struct cbd_client {
    const char *socket_path;
    const char *line;                     /* with its newline */
    size_t line_len;
    int warmup, appends;
    double *latencies_us;                 /* appends entries, or NULL */
    struct cbd_gate *gate;
    int rc;
};

static int cbd_round_trip(int fd, const char *line, size_t len)
{
    int rc = cb_send_all(fd, line, len);
    if (rc != 0) return rc;
    char reply[64];
    size_t got = 0;
    while (got == 0 || reply[got - 1] != '\n') {
        ssize_t r = recv(fd, reply + got, sizeof reply - got, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return errno;
        if (r == 0) return ECONNRESET;
        got += (size_t)r;
        if (got == sizeof reply) return EPROTO;
    }
    return strncmp(reply, "{\"seq\":", 7) == 0 ? 0 : EIO;
}

/* A closed-loop client: `warmup` untimed appends, the start gate, then the timed ones. */
static void *cbd_client_run(void *arg)
{
    struct cbd_client *c = arg;
    struct sockaddr_un addr;
    int fd = -1;
    c->rc = cb_make_addr(c->socket_path, &addr);
    if (c->rc == 0 && (fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) c->rc = errno;
    if (c->rc == 0 && connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) c->rc = errno;
    for (int i = 0; c->rc == 0 && i < c->warmup; i++) c->rc = cbd_round_trip(fd, c->line, c->line_len);
    cbd_gate_arrive(c->gate);             /* always, failed or not: the timer waits for every client */
    for (int i = 0; c->rc == 0 && i < c->appends; i++) {
        uint64_t t0 = cb_now_ns();
        c->rc = cbd_round_trip(fd, c->line, c->line_len);
        if (c->latencies_us) c->latencies_us[i] = cb_ns_to_us(cb_now_ns() - t0);
    }
    if (fd >= 0) close(fd);
    return NULL;
}

static int cbd_open(struct cbd_server *s, const char *dir, const char *socket_path)
{
    int rc = cb_fresh_dir(dir);
    if (rc != 0) return rc;
    if ((rc = mdb_env_create(&s->env)) != 0) return rc;
    if ((rc = mdb_env_set_maxdbs(s->env, 1)) != 0) return rc;
    if ((rc = mdb_env_set_mapsize(s->env, CBD_MAP_SIZE)) != 0) return rc;
    if ((rc = mdb_env_open(s->env, dir, MDB_NOTLS, 0644)) != 0) return rc;
    MDB_txn *txn;
    if ((rc = mdb_txn_begin(s->env, NULL, 0, &txn)) != 0) return rc;
    if ((rc = mdb_dbi_open(txn, "events", MDB_CREATE, &s->dbi)) != 0) { mdb_txn_abort(txn); return rc; }
    if ((rc = mdb_txn_commit(txn)) != 0) return rc;

    struct sockaddr_un addr;
    if ((rc = cb_make_addr(socket_path, &addr)) != 0) return rc;
    if (unlink(socket_path) != 0 && errno != ENOENT) return errno;
    if ((s->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) return errno;
    if (bind(s->listen_fd, (struct sockaddr *)&addr, sizeof addr) != 0) return errno;
    if (listen(s->listen_fd, 256) != 0) return errno;
    if (pipe2(s->stop_pipe, O_CLOEXEC) != 0) return errno;
    if ((s->epoll_fd = epoll_create1(EPOLL_CLOEXEC)) < 0) return errno;
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &s->listen_fd };
    if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, s->listen_fd, &ev) != 0) return errno;
    ev.data.ptr = &s->stop_pipe;
    if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, s->stop_pipe[0], &ev) != 0) return errno;
    return 0;
}

static void cbd_close(struct cbd_server *s, const char *socket_path)
{
    for (size_t i = 0; i < s->nconns; i++) { close(s->conns[i]->fd); free(s->conns[i]); }
    free(s->conns);
    for (size_t i = 0; i < s->queued; i++) free(s->queue[i].line);
    free(s->queue);
    if (s->epoll_fd >= 0) close(s->epoll_fd);
    if (s->stop_pipe[0] >= 0) close(s->stop_pipe[0]);
    if (s->stop_pipe[1] >= 0) close(s->stop_pipe[1]);
    if (s->listen_fd >= 0) { close(s->listen_fd); unlink(socket_path); }
    if (s->env) mdb_env_close(s->env);
}

int cb_daemon_append_bench(const char *dir, const char *socket_path,
                           const char *line, int clients, int per_client,
                           int warmup_per_client, int gather_us,
                           double *latencies_us, cb_daemon_figures *out)
{
    if (dir == NULL || socket_path == NULL || line == NULL || out == NULL || clients < 1 || per_client < 1 ||
        warmup_per_client < 0 || gather_us < 0)
        return EINVAL;
    size_t line_len = strlen(line);
    if (line_len == 0 || line_len + 1 > CBD_LINE_MAX || memchr(line, '\n', line_len) != NULL) return EINVAL;
    char *wire = malloc(line_len + 1);
    struct cbd_server *s = calloc(1, sizeof *s);
    struct cbd_client *cs = calloc((size_t)clients, sizeof *cs);
    pthread_t *threads = calloc((size_t)clients, sizeof *threads);
    if (wire == NULL || s == NULL || cs == NULL || threads == NULL) {
        free(wire); free(s); free(cs); free(threads);
        return ENOMEM;
    }
    memcpy(wire, line, line_len);
    wire[line_len] = '\n';
    s->listen_fd = s->epoll_fd = s->stop_pipe[0] = s->stop_pipe[1] = -1;
    s->gather_us = gather_us;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);

    pthread_t reader, committer;
    bool reader_up = false, committer_up = false;
    int started = 0, rc = cbd_open(s, dir, socket_path);
    if (rc == 0 && (rc = pthread_create(&reader, NULL, cbd_reader, s)) == 0) reader_up = true;
    if (rc == 0 && (rc = pthread_create(&committer, NULL, cbd_committer, s)) == 0) committer_up = true;

    struct cbd_gate gate = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, false };
    if (rc == 0) {
        for (; started < clients; started++) {
            cs[started] = (struct cbd_client){ socket_path, wire, line_len + 1, warmup_per_client, per_client,
                                               latencies_us ? latencies_us + (size_t)started * (size_t)per_client : NULL,
                                               &gate, 0 };
            if ((rc = pthread_create(&threads[started], NULL, cbd_client_run, &cs[started])) != 0) break;
        }
    }
    /* Every started client arrives at the gate (after its warm-up, or at once if it failed). */
    cbd_gate_open(&gate, started);
    uint64_t t0 = cb_now_ns();
    for (int i = 0; i < started; i++) pthread_join(threads[i], NULL);
    out->seconds = cb_ns_to_s(cb_now_ns() - t0);

    if (committer_up) {
        pthread_mutex_lock(&s->mu);
        s->stopping = true;
        pthread_cond_broadcast(&s->cv);
        pthread_mutex_unlock(&s->mu);
        pthread_join(committer, NULL);
    }
    if (reader_up) {
        char byte = 1;
        (void)!write(s->stop_pipe[1], &byte, 1);
        pthread_join(reader, NULL);
    }
    /* The server's failure first: its clients then fail only because it answered with an error. */
    if (rc == 0 && s->error != 0) rc = s->error;
    for (int i = 0; i < started && rc == 0; i++) if (cs[i].rc != 0) rc = cs[i].rc;
    if (rc == 0) {
        out->appends = (long long)clients * per_client;
        out->commits = s->commits;
        out->events = s->events;
        out->commit_seconds = s->commit_seconds;
    }
    cbd_close(s, socket_path);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(wire); free(s); free(cs); free(threads);
    return rc;
}
