// accept4 is a GNU extension: declare it here, with _GNU_SOURCE, rather than in the Swift-facing header.
#define _GNU_SOURCE
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include "CEpoll.h"

int cepoll_accept(int listen_fd) {
    return accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

int cepoll_accept_peer(int listen_fd, char *address, size_t capacity) {
    struct sockaddr_storage peer;
    socklen_t length = sizeof(peer);
    memset(&peer, 0, sizeof(peer));
    int fd = accept4(listen_fd, (struct sockaddr *)&peer, &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
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
