// accept4 is a GNU extension: declare it here, with _GNU_SOURCE, rather than in the Swift-facing header.
#define _GNU_SOURCE
#include <sys/socket.h>
#include "CEpoll.h"

int cepoll_accept(int listen_fd) {
    return accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
}
