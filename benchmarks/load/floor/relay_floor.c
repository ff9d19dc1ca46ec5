// The floor of our relay's design on this machine: a C relay with nothing but the media path SipRecorder's poller
// runs (epoll, edge-triggered; recvmmsg batches until short; one sendto per packet; a 2 ms pause between rounds), no
// SIP, no recording. A generator process plays `calls` calls of G.711 (172-byte packets every 20 ms, both parties, spread over the 20 ms)
// into it for `seconds`; the relay reports its own CPU from getrusage. Run inside a network namespace where the
// parties' ports drop arriving packets, as benchmarks/load/run.sh does: see floor.sh.
//
//   relay_floor CALLS SECONDS           the C relay and the generator
//   relay_floor CALLS SECONDS generate  the generator alone, for a relay already listening (SipRecorder's, floor.sh)
//
// Ports: leg j (call j/2, party j%2) is relayed at RelayBase + 2j (the odd port between is RTCP's, as in SipRecorder's
// pool) and its party sends from PartyBase + j.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { Batch = 16, RelayBase = 20000, PartyBase = 40000, Packet = 172 };

static int bound(int port) {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (bind(s, (void *)&a, sizeof a) != 0) { perror("bind"); exit(1); }
  return s;
}

static volatile sig_atomic_t stopping;
static void stop(int sig) { (void)sig; stopping = 1; }

static void relay(int calls, int ready_fd) {
  int legs = calls * 2, ep = epoll_create1(0);
  int *fd = calloc(legs, sizeof *fd);
  struct sockaddr_in *latched = calloc(legs, sizeof *latched);
  for (int i = 0; i < legs; i++) {
    fd[i] = bound(RelayBase + 2 * i);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u32 = i};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd[i], &ev);
  }
  static char buffers[Batch][2048], names[Batch][128];
  struct mmsghdr m[Batch]; struct iovec v[Batch]; struct epoll_event events[256];
  memset(m, 0, sizeof m);
  for (int i = 0; i < Batch; i++) { v[i].iov_base = buffers[i]; m[i].msg_hdr.msg_iov = &v[i]; m[i].msg_hdr.msg_iovlen = 1; m[i].msg_hdr.msg_name = names[i]; }
  signal(SIGTERM, stop);
  if (write(ready_fd, "r", 1) != 1) exit(1);
  long relayed = 0;
  struct timespec pause = {0, 2000000};
  while (!stopping) {
    int n = epoll_wait(ep, events, 256, 100);
    for (int e = 0; e < n; e++) {
      int leg = events[e].data.u32, peer = leg ^ 1;
      for (;;) {
        for (int i = 0; i < Batch; i++) { v[i].iov_len = 2048; m[i].msg_hdr.msg_namelen = 128; }
        int got = recvmmsg(fd[leg], m, Batch, MSG_DONTWAIT, NULL);
        if (got <= 0) break;
        memcpy(&latched[leg], names[got - 1], sizeof latched[leg]);
        for (int i = 0; i < got; i++)
          if (latched[peer].sin_port && sendto(fd[peer], buffers[i], m[i].msg_len, 0, (void *)&latched[peer], sizeof latched[peer]) > 0) relayed++;
        if (got < Batch) break;
      }
    }
    nanosleep(&pause, NULL);
  }
  struct rusage u; getrusage(RUSAGE_SELF, &u);
  double cpu = u.ru_utime.tv_sec + u.ru_utime.tv_usec * 1e-6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec * 1e-6;
  // A call-second is 100 relayed packets: 50 each way.
  printf("relayed %ld packets (%.0f call-seconds) in %.2f CPU s (user %.2f, system %.2f): %.1f us per packet, %.0f call-seconds per CPU-second\n",
         relayed, relayed / 100.0, cpu, u.ru_utime.tv_sec + u.ru_utime.tv_usec * 1e-6, u.ru_stime.tv_sec + u.ru_stime.tv_usec * 1e-6,
         cpu * 1e6 / relayed, relayed / 100.0 / cpu);
}

static void generate(int calls, int seconds) {
  int legs = calls * 2;
  int *fd = calloc(legs, sizeof *fd);
  for (int i = 0; i < legs; i++) fd[i] = bound(PartyBase + i);
  char packet[Packet]; memset(packet, 0xd5, sizeof packet); packet[0] = (char)0x80;
  // Every leg sends every 20 ms, the legs spread over twenty 1 ms slots, as SIPp's calls are spread over time.
  struct timespec next; clock_gettime(CLOCK_MONOTONIC, &next);
  for (int tick = 0; tick < seconds * 1000; tick++) {
    for (int i = tick % 20; i < legs; i += 20) {
      struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(RelayBase + 2 * i), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
      sendto(fd[i], packet, sizeof packet, 0, (void *)&to, sizeof to);
    }
    next.tv_nsec += 1000000;
    if (next.tv_nsec >= 1000000000) { next.tv_sec++; next.tv_nsec -= 1000000000; }
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
  }
}

int main(int argc, char **argv) {
  int calls = argc > 1 ? atoi(argv[1]) : 100, seconds = argc > 2 ? atoi(argv[2]) : 20;
  if (argc > 3 && strcmp(argv[3], "generate") == 0) { generate(calls, seconds); return 0; }
  int ready[2]; if (pipe(ready) != 0) return 1;
  pid_t child = fork();
  if (child == 0) { relay(calls, ready[1]); return 0; }
  char c; if (read(ready[0], &c, 1) != 1) return 1;
  generate(calls, seconds);
  usleep(100000);
  kill(child, SIGTERM);
  waitpid(child, NULL, 0);
  return 0;
}
