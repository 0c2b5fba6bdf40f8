#ifndef CEPOLL_H
#define CEPOLL_H
// Glibc's Swift module map does not export these Linux headers; this target only re-exports them,
// plus a few static inline helpers for things Swift cannot reach (macros such as SIG_IGN, and the
// packed `struct epoll_event`). Everything epoll and eventfd is Linux only; elsewhere (macOS) the
// event loop uses poll(2) and a pipe, and the CEPOLL_* bits below are poll's.
#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>
#endif
#include <poll.h>
#include <sys/socket.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>

/// Ignores SIGPIPE unless the process already installed its own handler.
/// A peer that resets a connection must never kill the process.
static inline void cepoll_ignore_sigpipe(void) {
    struct sigaction current;
    if (sigaction(SIGPIPE, NULL, &current) != 0) return;
    if (current.sa_handler != SIG_DFL) return;
    struct sigaction ignore;
    memset(&ignore, 0, sizeof(ignore));
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGPIPE, &ignore, NULL);
}

#ifdef __linux__
/// epoll_ctl with the event filled in on the C side (struct epoll_event is packed on x86_64).
static inline int cepoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data) {
    struct epoll_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.events = events;
    ev.data.u64 = data;
    return epoll_ctl(epfd, op, fd, &ev);
}

/// An opaque array of epoll events, so Swift never has to lay out the packed struct itself.
static inline struct epoll_event *cepoll_events_alloc(int count) {
    return (struct epoll_event *)calloc((size_t)count, sizeof(struct epoll_event));
}
static inline void cepoll_events_free(struct epoll_event *events) { free(events); }
static inline uint32_t cepoll_event_flags(const struct epoll_event *events, int index) {
    return events[index].events;
}
static inline uint64_t cepoll_event_data(const struct epoll_event *events, int index) {
    return events[index].data.u64;
}

#endif

/// accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC) (accept, then the same flags set with
/// fcntl, where there is no accept4); defined in shim.c.
int cepoll_accept(int listen_fd);

/// accept4 as above, also writing the peer's IPv4 or IPv6 address as text into `address` (an
/// IPv4-mapped IPv6 peer as plain IPv4; empty for other families); defined in shim.c.
int cepoll_accept_peer(int listen_fd, char *address, size_t capacity);

#ifdef __linux__
// poll(2)'s POLLIN, POLLOUT, POLLERR, POLLHUP and POLLRDHUP have these same values on Linux, so
// both backends speak these bits.
static const uint32_t CEPOLL_IN = EPOLLIN;
static const uint32_t CEPOLL_OUT = EPOLLOUT;
static const uint32_t CEPOLL_ERR = EPOLLERR;
static const uint32_t CEPOLL_HUP = EPOLLHUP;
static const uint32_t CEPOLL_RDHUP = EPOLLRDHUP;
static const int CEPOLL_SOCK_NONBLOCK_CLOEXEC = SOCK_NONBLOCK | SOCK_CLOEXEC;
static const int CEPOLL_MSG_NOSIGNAL = MSG_NOSIGNAL;
static const int CEPOLL_MSG_NOSIGNAL_DONTWAIT = MSG_NOSIGNAL | MSG_DONTWAIT;
#else
// No read-side hang-up event off Linux: a peer's close shows as readable (a read of 0 bytes) or
// as POLLHUP. No MSG_NOSIGNAL either: SIGPIPE is ignored for the process (cepoll_ignore_sigpipe).
// Sockets are made blocking-free with fcntl after socket() (cepoll_set_nonblocking_cloexec).
static const uint32_t CEPOLL_IN = POLLIN;
static const uint32_t CEPOLL_OUT = POLLOUT;
static const uint32_t CEPOLL_ERR = POLLERR;
static const uint32_t CEPOLL_HUP = POLLHUP;
static const uint32_t CEPOLL_RDHUP = 0;
static const int CEPOLL_SOCK_NONBLOCK_CLOEXEC = 0;
static const int CEPOLL_MSG_NOSIGNAL = 0;
static const int CEPOLL_MSG_NOSIGNAL_DONTWAIT = MSG_DONTWAIT;
#endif
static const uint32_t CEPOLL_NVAL = POLLNVAL;

/// Makes `fd` non-blocking and close-on-exec; 0, or -1 with errno set. Defined in shim.c.
int cepoll_set_nonblocking_cloexec(int fd);

/// A pipe whose two ends are non-blocking and close-on-exec (the loop's wake-up where there is no
/// eventfd); 0, or -1 with errno set. Defined in shim.c.
int cepoll_pipe(int fds[2]);
#endif
