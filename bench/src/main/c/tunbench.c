/*
 * C baseline for io.warren.bench.tun.TunBench: the same TUN read/write loops as the Java harness,
 * so both are measured by one method. Compiled at run time by TunBench (gcc -O2).
 *
 *   tunbench read  IFNAME WARMUP_S SECONDS   create TUN, print "ready", wait for a line on stdin,
 *                                            read packets (O_NONBLOCK read, poll on EAGAIN)
 *   tunbench write IFNAME WARMUP_S SECONDS   same, writing one 64-byte IPv4/UDP packet
 *                                            10.77.0.2:1234 -> 10.77.0.1:9 in a loop
 *   tunbench blast DST_IP PORT PAYLOAD SECONDS   UDP sender, sendmmsg batches of 64
 *
 * Results: one line "RESULT packets=N seconds=S cpu=C" (C: CPU seconds of the measuring thread).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int open_tun(const char *name) {
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) { perror("open /dev/net/tun"); exit(1); }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) { perror("TUNSETIFF"); exit(1); }
    printf("ready %s\n", ifr.ifr_name);
    fflush(stdout);
    char line[64];
    if (!fgets(line, sizeof line, stdin)) exit(1);
    return fd;
}

static unsigned short csum(const unsigned char *p, int len) {
    unsigned long s = 0;
    for (int i = 0; i + 1 < len; i += 2) s += (p[i] << 8) | p[i + 1];
    while (s >> 16) s = (s & 0xffff) + (s >> 16);
    return (unsigned short) ~s;
}

static int run_tun(int writing, const char *name, double warmup, double seconds) {
    int fd = open_tun(name);
    unsigned char buf[2048];
    if (writing) {
        static const unsigned char pkt[28] = {0x45, 0, 0, 64, 0, 1, 0x40, 0, 64, 17, 0, 0,
            10, 77, 0, 2, 10, 77, 0, 1, 0x04, 0xd2, 0, 9, 0, 44, 0, 0};
        memset(buf, 'w', 64);
        memcpy(buf, pkt, sizeof pkt);
        unsigned short c = csum(buf, 20);
        buf[10] = c >> 8; buf[11] = c & 0xff;
    }
    struct pollfd pfd = {.fd = fd, .events = writing ? POLLOUT : POLLIN};
    double start = now(), measure_from = start + warmup, end = measure_from + seconds;
    long count = 0, measured = -1;
    double cpu_from = 0;
    for (;;) {
        long n = writing ? write(fd, buf, 64) : read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EAGAIN) { poll(&pfd, 1, 100); }
            else if (errno != EINTR) { perror(writing ? "write" : "read"); return 1; }
        } else {
            count++;
        }
        if ((count & 1023) == 0 || n < 0) {
            double t = now();
            if (measured < 0 && t >= measure_from) {
                measured = count; measure_from = t; end = t + seconds; cpu_from = cpu_now();
            }
            if (measured >= 0 && t >= end) {
                printf("RESULT packets=%ld seconds=%.3f cpu=%.3f\n", count - measured, t - measure_from,
                       cpu_now() - cpu_from);
                return 0;
            }
        }
    }
}

static int blast(const char *dst, int port, int payload, double seconds) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, dst, &to.sin_addr);
    if (connect(s, (struct sockaddr *) &to, sizeof to) < 0) { perror("connect"); return 1; }
    enum { BATCH = 64 };
    static char data[65536];
    struct iovec iov[BATCH];
    struct mmsghdr msgs[BATCH];
    memset(msgs, 0, sizeof msgs);
    for (int i = 0; i < BATCH; i++) {
        iov[i].iov_base = data;
        iov[i].iov_len = payload;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    double start = now(), end = start + seconds;
    long sent = 0;
    while (now() < end) {
        int n = sendmmsg(s, msgs, BATCH, 0);
        if (n > 0) sent += n;
    }
    printf("RESULT packets=%ld seconds=%.3f\n", sent, now() - start);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 5 && strcmp(argv[1], "read") == 0) return run_tun(0, argv[2], atof(argv[3]), atof(argv[4]));
    if (argc == 5 && strcmp(argv[1], "write") == 0) return run_tun(1, argv[2], atof(argv[3]), atof(argv[4]));
    if (argc == 6 && strcmp(argv[1], "blast") == 0)
        return blast(argv[2], atoi(argv[3]), atoi(argv[4]), atof(argv[5]));
    fprintf(stderr, "usage: tunbench read|write IFNAME WARMUP SECONDS | blast DST PORT PAYLOAD SECONDS\n");
    return 2;
}
