// Linux calls that Glibc's Swift overlay does not export (epoll, eventfd, timerfd, signalfd),
// plus typed wrappers for the ones that are macros or variadic in C.
#ifndef PHX_CLINUXSYSTEM_SHIM_H
#define PHX_CLINUXSYSTEM_SHIM_H

#include <pthread.h>

#include <errno.h>
#include <malloc.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

// `fcntl` is variadic: Swift cannot call it directly.
static inline int phx_fcntl_getfl(int fd) { return fcntl(fd, F_GETFL); }
static inline int phx_fcntl_setfl(int fd, int flags) { return fcntl(fd, F_SETFL, flags); }

// `errno` is a macro over a thread-local; read it straight after the failing call.
static inline int phx_errno(void) { return errno; }

// Accept with the flags every connection of ours needs, in one call.
static inline int phx_accept_nonblocking(int fd, struct sockaddr *addr, socklen_t *len) {
    return accept4(fd, addr, len, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

static inline int phx_socket_nonblocking(int domain, int type) {
    return socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

// epoll_event is packed on x86-64; build and read it in C so Swift never guesses its layout.
static inline struct epoll_event phx_epoll_event(uint32_t events, uint64_t token) {
    struct epoll_event event;
    event.events = events;
    event.data.u64 = token;
    return event;
}
static inline uint64_t phx_epoll_event_token(const struct epoll_event *event) { return event->data.u64; }
static inline uint32_t phx_epoll_event_events(const struct epoll_event *event) { return event->events; }

// glibc declares pthread_setname_np only under _GNU_SOURCE, and defining that here would make
// this module's view of the system headers differ from SwiftGlibc's: declare just this one.
extern int pthread_setname_np(pthread_t thread, const char *name);

// sched_getaffinity is also _GNU_SOURCE-only: declared here for the same reason.
extern int sched_getaffinity(pid_t pid, size_t cpusetsize, void *mask);

// The CPUs this process may run on (taskset, cgroup cpusets), which can be fewer than the
// machine has online: one event loop per usable core, not per installed one.
static inline int phx_usable_cpu_count(void) {
    unsigned long mask[16] = {0};  // 1,024 CPUs
    if (sched_getaffinity(0, sizeof(mask), mask) != 0) {
        return (int)sysconf(_SC_NPROCESSORS_ONLN);
    }
    int count = 0;
    for (int i = 0; i < 16; i++) count += __builtin_popcountl(mask[i]);
    return count > 0 ? count : 1;
}

// Names the calling thread (15 bytes at most) for `top -H` and debuggers.
static inline int phx_set_thread_name(const char *name) { return pthread_setname_np(pthread_self(), name); }

/// Keeps allocations of up to 32 MiB on the heap and 128 MiB of freed heap mapped, so the
/// 1 MiB buffers a backup streams through are reused instead of being mmapped, page-faulted,
/// zeroed and unmapped for every chunk (which halved the encrypt+hash throughput). One arena per
/// usable core instead of glibc's eight: each arena keeps its own freed buffers, and the many
/// pool threads of a backup would otherwise each hold a few (peak RSS 71 -> 63 MiB).
static inline void phx_tune_malloc_for_streaming(int arenas) {
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 128 * 1024 * 1024);
    mallopt(M_ARENA_MAX, arenas < 2 ? 2 : arenas);
}

/// Hands freed heap back to the kernel in every arena (the trim threshold above keeps it).
static inline void phx_release_freed_memory(void) { malloc_trim(0); }

// pipe2 and posix_spawn_file_actions_addclosefrom_np (glibc 2.34) are _GNU_SOURCE-only, and
// defining that here would change this module's view of the system headers (see above).
extern int pipe2(int fds[2], int flags);
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);

// A pipe whose both ends close on exec, created atomically: no spawn on another thread can
// inherit an end between the pipe and an fcntl.
static inline int phx_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

// Makes a spawned child close every descriptor from `from` up, whether it is close-on-exec or not.
static inline int phx_spawn_close_from(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

#endif
