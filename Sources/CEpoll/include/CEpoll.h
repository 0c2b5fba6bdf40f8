#ifndef CEPOLL_H
#define CEPOLL_H
// Glibc's Swift module map does not export these Linux headers; this target only re-exports them,
// plus a few static inline helpers for things Swift cannot reach (macros such as SIG_IGN, and the
// packed `struct epoll_event`).
#include <sys/epoll.h>
#include <sys/eventfd.h>
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

/// accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC); defined in shim.c.
int cepoll_accept(int listen_fd);

/// accept4 as above, also writing the peer's IPv4 or IPv6 address as text into `address` (an
/// IPv4-mapped IPv6 peer as plain IPv4; empty for other families); defined in shim.c.
int cepoll_accept_peer(int listen_fd, char *address, size_t capacity);

static const uint32_t CEPOLL_IN = EPOLLIN;
static const uint32_t CEPOLL_OUT = EPOLLOUT;
static const uint32_t CEPOLL_ERR = EPOLLERR;
static const uint32_t CEPOLL_HUP = EPOLLHUP;
static const uint32_t CEPOLL_RDHUP = EPOLLRDHUP;
static const int CEPOLL_SOCK_NONBLOCK_CLOEXEC = SOCK_NONBLOCK | SOCK_CLOEXEC;
static const int CEPOLL_MSG_NOSIGNAL = MSG_NOSIGNAL;
static const int CEPOLL_MSG_NOSIGNAL_DONTWAIT = MSG_NOSIGNAL | MSG_DONTWAIT;
#endif
