/* Summary statistics and error text. */
#define _GNU_SOURCE
#include "cbaseline.h"

#include <errno.h>
#include <lmdb.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest rank: the value at 1-based rank ceil(p * n).  Integer arithmetic
 * so that e.g. p99 of exactly 100 samples is the 99th, not a float-rounded
 * neighbour. */
static double nearest_rank(const double *sorted, int n, int percent)
{
    long long rank = ((long long)n * percent + 99) / 100;
    if (rank < 1) rank = 1;
    return sorted[rank - 1];
}

int cb_percentiles(double *values, int n, double *p50, double *p99,
                   double *mean)
{
    if (values == NULL || n < 1) return EINVAL;

    double *copy = malloc((size_t)n * sizeof *copy);
    if (copy == NULL) return ENOMEM;
    memcpy(copy, values, (size_t)n * sizeof *copy);
    qsort(copy, (size_t)n, sizeof *copy, cmp_double);

    if (p50) *p50 = nearest_rank(copy, n, 50);
    if (p99) *p99 = nearest_rank(copy, n, 99);
    if (mean) {
        /* Sum in ascending order: small values are not swamped by large
         * ones, which matters a little for long latency tails. */
        double sum = 0.0;
        for (int i = 0; i < n; i++) sum += copy[i];
        *mean = sum / n;
    }
    free(copy);
    return 0;
}

const char *cb_strerror(int rc)
{
    /* mdb_strerror already covers both MDB_* codes and plain errno values. */
    return mdb_strerror(rc);
}
