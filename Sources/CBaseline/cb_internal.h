/* Internal helpers shared by the CBaseline sources; not part of the API. */
#ifndef CB_INTERNAL_H
#define CB_INTERNAL_H

#include <stdint.h>
#include <time.h>

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

#endif /* CB_INTERNAL_H */
