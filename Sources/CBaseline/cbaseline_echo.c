/* Newline-delimited echo over a Unix domain socket: server and client. */
#define _GNU_SOURCE
#include "cbaseline.h"
#include "cb_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define CB_MAX_LINE   (16 * 1024 * 1024)
#define CB_READ_CHUNK 65536

/* ------------------------------------------------------------ server -- */

struct conn {
    int fd;
    pthread_t thread;
    atomic_bool done;        /* set by the connection thread as it exits */
    struct conn *next;
};

struct server {
    int listen_fd;
    int wake[2];             /* self-pipe: stop() writes, accept loop wakes */
    pthread_t accept_thread;
    pthread_mutex_t lock;    /* guards conns */
    struct conn *conns;
    char path[sizeof ((struct sockaddr_un *)0)->sun_path];
};

/*
 * One blocking thread per connection is the lowest-latency shape for a
 * closed-loop client: the reply path is recv -> send with no poll/epoll in
 * between, so it is a floor for any event-loop server such as the daemon.
 */
static void *conn_main(void *arg)
{
    struct conn *c = arg;
    size_t cap = CB_READ_CHUNK, len = 0;
    char *buf = malloc(cap);

    while (buf != NULL) {
        if (cap - len < CB_READ_CHUNK / 2) {
            if (cap >= CB_MAX_LINE) break;        /* line too long: drop */
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) break;
            buf = nb;
            cap *= 2;
        }
        ssize_t r = recv(c->fd, buf + len, cap - len, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;                        /* EOF, error, shutdown */

        /* Only the new bytes can contain the last newline we care about:
         * everything before `len` was already known to have none. */
        size_t old = len;
        len += (size_t)r;
        char *nl = memrchr(buf + old, '\n', len - old);
        if (nl == NULL) continue;

        /* All complete lines go back in one send; a partial tail waits. */
        size_t complete = (size_t)(nl - buf) + 1;
        if (cb_send_all(c->fd, buf, complete) != 0) break;
        memmove(buf, buf + complete, len - complete);
        len -= complete;
    }
    free(buf);
    atomic_store(&c->done, true);
    return NULL;
}

/* Join and free connection threads that have finished, so a long-lived
 * server does not accumulate them.  The fd is closed here, after the join,
 * never by the connection thread: that way stop() can shutdown() any fd in
 * the list without racing against its reuse by an unrelated open(). */
static void reap(struct server *s, bool all)
{
    pthread_mutex_lock(&s->lock);
    struct conn **pp = &s->conns;
    struct conn *dead = NULL;
    while (*pp) {
        struct conn *c = *pp;
        if (all || atomic_load(&c->done)) {
            *pp = c->next;
            c->next = dead;
            dead = c;
        } else {
            pp = &c->next;
        }
    }
    if (all)
        for (struct conn *c = dead; c; c = c->next)
            shutdown(c->fd, SHUT_RDWR);   /* wakes a blocked recv */
    pthread_mutex_unlock(&s->lock);

    while (dead) {
        struct conn *c = dead;
        dead = c->next;
        pthread_join(c->thread, NULL);
        close(c->fd);
        free(c);
    }
}

static void *accept_main(void *arg)
{
    struct server *s = arg;
    struct pollfd pfd[2] = {
        { .fd = s->listen_fd, .events = POLLIN },
        { .fd = s->wake[0],   .events = POLLIN },
    };

    for (;;) {
        if (poll(pfd, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (pfd[1].revents) break;                /* stop requested */
        if (!(pfd[0].revents & POLLIN)) continue;

        int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) continue;        /* EAGAIN, ECONNABORTED, EMFILE, ... */

        reap(s, false);
        struct conn *c = calloc(1, sizeof *c);
        if (c == NULL) { close(fd); continue; }
        c->fd = fd;
        atomic_init(&c->done, false);

        pthread_mutex_lock(&s->lock);
        if (pthread_create(&c->thread, NULL, conn_main, c) != 0) {
            pthread_mutex_unlock(&s->lock);
            close(fd);
            free(c);
            continue;
        }
        c->next = s->conns;
        s->conns = c;
        pthread_mutex_unlock(&s->lock);
    }
    return NULL;
}

/* Remove a leftover socket from an earlier run, but never a regular file or
 * anything else that merely happens to have the same name. */
static int clear_stale_socket(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) return errno == ENOENT ? 0 : errno;
    if (!S_ISSOCK(st.st_mode)) return EEXIST;
    if (unlink(path) != 0 && errno != ENOENT) return errno;
    return 0;
}

int cb_echo_server_start(const char *socket_path, void **handle)
{
    if (socket_path == NULL || handle == NULL) return EINVAL;
    *handle = NULL;

    struct sockaddr_un addr;
    int rc = cb_make_addr(socket_path, &addr);
    if (rc != 0) return rc;
    if ((rc = clear_stale_socket(socket_path)) != 0) return rc;

    struct server *s = calloc(1, sizeof *s);
    if (s == NULL) return ENOMEM;
    s->listen_fd = s->wake[0] = s->wake[1] = -1;
    memcpy(s->path, addr.sun_path, sizeof s->path);
    if ((rc = pthread_mutex_init(&s->lock, NULL)) != 0) { free(s); return rc; }

    /* Non-blocking listener: a client that disconnects between poll() and
     * accept() must not leave the accept thread stuck where stop() cannot
     * wake it. */
    s->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (s->listen_fd < 0) { rc = errno; goto fail; }
    if (bind(s->listen_fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        rc = errno;
        goto fail;
    }
    if (listen(s->listen_fd, 128) != 0) { rc = errno; goto fail_unlink; }
    if (pipe2(s->wake, O_CLOEXEC) != 0) { rc = errno; goto fail_unlink; }

    /* Server threads block every signal so that signals aimed at the
     * process keep going to the threads the host (Swift) set up for them.
     * Connection threads inherit the mask from the accept thread. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    rc = pthread_create(&s->accept_thread, NULL, accept_main, s);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) goto fail_unlink;

    *handle = s;
    return 0;

fail_unlink:
    unlink(s->path);
fail:
    if (s->wake[0] >= 0) close(s->wake[0]);
    if (s->wake[1] >= 0) close(s->wake[1]);
    if (s->listen_fd >= 0) close(s->listen_fd);
    pthread_mutex_destroy(&s->lock);
    free(s);
    return rc;
}

int cb_echo_server_stop(void *handle)
{
    struct server *s = handle;
    if (s == NULL) return EINVAL;

    /* Wake the accept loop; a full pipe (EAGAIN) would still mean "awake". */
    char byte = 1;
    while (write(s->wake[1], &byte, 1) < 0 && errno == EINTR) {}
    pthread_join(s->accept_thread, NULL);

    /* No new connections can appear now; end and collect the rest. */
    reap(s, true);

    close(s->listen_fd);
    close(s->wake[0]);
    close(s->wake[1]);
    int rc = 0;
    if (unlink(s->path) != 0 && errno != ENOENT) rc = errno;
    pthread_mutex_destroy(&s->lock);
    free(s);
    return rc;
}

/* ------------------------------------------------------------ client -- */

int cb_echo_client_bench(const char *socket_path, const char *line,
                         int round_trips, double *latencies_us)
{
    if (socket_path == NULL || line == NULL || round_trips < 1) return EINVAL;
    size_t line_len = strlen(line);
    if (memchr(line, '\n', line_len) != NULL) return EINVAL;

    struct sockaddr_un addr;
    int rc = cb_make_addr(socket_path, &addr);
    if (rc != 0) return rc;

    size_t msg_len = line_len + 1;
    /* One buffer: the message to send, then room for the reply.  The reply
     * area has a spare byte so an over-long reply is detected, not merged. */
    char *msg = malloc(2 * msg_len + 1);
    if (msg == NULL) return ENOMEM;
    char *reply = msg + msg_len;
    memcpy(msg, line, line_len);
    msg[line_len] = '\n';

    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) { rc = errno; free(msg); return rc; }
    while (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        if (errno == EINTR) continue;
        rc = errno;
        goto out;
    }

    for (int i = 0; i < round_trips && rc == 0; i++) {
        uint64_t t0 = cb_now_ns();
        if ((rc = cb_send_all(fd, msg, msg_len)) != 0) break;

        /* Read until the newline; closed loop means nothing may follow it. */
        size_t got = 0;
        while (got == 0 || reply[got - 1] != '\n') {
            ssize_t r = recv(fd, reply + got, msg_len + 1 - got, 0);
            if (r < 0 && errno == EINTR) continue;
            if (r < 0) { rc = errno; break; }
            if (r == 0) { rc = ECONNRESET; break; }
            /* A newline inside the chunk but not at its end would mean the
             * server sent extra bytes or split lines wrongly. */
            got += (size_t)r;
            if (got > msg_len ||
                memchr(reply + got - (size_t)r, '\n', (size_t)r - 1) != NULL) {
                rc = EPROTO;
                break;
            }
        }
        if (rc != 0) break;
        uint64_t t1 = cb_now_ns();

        if (got != msg_len || memcmp(reply, msg, msg_len) != 0) {
            rc = EPROTO;
            break;
        }
        if (latencies_us) latencies_us[i] = cb_ns_to_us(t1 - t0);
    }

out:
    close(fd);
    free(msg);
    return rc;
}
