#ifndef CEPOLL_H
#define CEPOLL_H
// Glibc's Swift module map does not export these Linux headers; this target only re-exports them.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <netinet/tcp.h>
#endif
