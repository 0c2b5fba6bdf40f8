// accept4 is a GNU extension: declare it here, with _GNU_SOURCE, rather than in the Swift-facing header.
#define _GNU_SOURCE
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include "CEpoll.h"

int cepoll_set_nonblocking_cloexec(int fd) {
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) return -1;
    return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

int cepoll_pipe(int fds[2]) {
    if (pipe(fds) != 0) return -1;
    if (cepoll_set_nonblocking_cloexec(fds[0]) != 0 || cepoll_set_nonblocking_cloexec(fds[1]) != 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    return 0;
}

/// accept4 where it exists (Linux), else accept and fcntl (not atomic with a fork, which the
/// sandbox never does while serving).
static int accept_nonblocking(int listen_fd, struct sockaddr *address, socklen_t *length) {
#ifdef __linux__
    return accept4(listen_fd, address, length, SOCK_NONBLOCK | SOCK_CLOEXEC);
#else
    int fd = accept(listen_fd, address, length);
    if (fd >= 0 && cepoll_set_nonblocking_cloexec(fd) != 0) {
        close(fd);
        return -1;
    }
    return fd;
#endif
}

int cepoll_accept(int listen_fd) {
    return accept_nonblocking(listen_fd, NULL, NULL);
}

int cepoll_accept_peer(int listen_fd, char *address, size_t capacity) {
    struct sockaddr_storage peer;
    socklen_t length = sizeof(peer);
    memset(&peer, 0, sizeof(peer));
    int fd = accept_nonblocking(listen_fd, (struct sockaddr *)&peer, &length);
    if (capacity > 0) address[0] = 0;
    if (fd < 0 || capacity == 0) return fd;
    if (peer.ss_family == AF_INET) {
        inet_ntop(AF_INET, &((struct sockaddr_in *)&peer)->sin_addr, address, (socklen_t)capacity);
    } else if (peer.ss_family == AF_INET6) {
        struct in6_addr *v6 = &((struct sockaddr_in6 *)&peer)->sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(v6)) {
            // An IPv4 client of a dual-stack listener: its own address, as an IPv4 listener sees it.
            inet_ntop(AF_INET, &v6->s6_addr[12], address, (socklen_t)capacity);
        } else {
            inet_ntop(AF_INET6, v6, address, (socklen_t)capacity);
        }
    }
    return fd;
}
