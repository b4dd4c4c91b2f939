/*
 * The "null" DNS server of bench/sections/dns.sh: the ceiling a userspace UDP server on the kernel
 * socket API can reach in that topology. It does no DNS work beyond the minimum: every query gets
 * one fixed A answer (id and question copied, QR/RD/RA set, QDCOUNT=ANCOUNT=1, an OPT RR of the
 * query dropped). Its socket calls are those of Warren's cache-hit path at their cheapest: one
 * recvmmsg of up to BATCH datagrams (MSG_WAITFORONE on a blocking socket: no epoll_wait, no EAGAIN
 * read) and one sendmmsg of the replies per batch. Compiled at bench time (gcc -O2).
 *
 *   dnsnull IP PORT BATCH     serves until killed; prints "READY" once bound
 *
 * Malformed queries (truncated question, a label past the datagram) are dropped.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_BATCH 1024
#define BUF 1500
#define HEADER 12

/* NAME = pointer to the question's name (offset 12), TYPE A, CLASS IN, TTL 3600, RDLENGTH 4, 10.55.0.1 */
static const uint8_t ANSWER[] = {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 10, 55, 0, 1};

/* Turns the query in p (n bytes) into the reply in place; returns its length, or 0 to drop it. */
static int answer(uint8_t *p, int n) {
    int at = HEADER;
    if (n < HEADER + 5 || (p[2] & 0x80)) {
        return 0;
    }
    while (at < n && p[at] != 0) {
        if (p[at] > 63) {
            return 0;
        }
        at += 1 + p[at];
    }
    at += 1 + 4; /* root label, QTYPE, QCLASS */
    if (at > n || at + (int) sizeof ANSWER > BUF) {
        return 0;
    }
    p[2] = 0x80 | (p[2] & 0x79); /* QR; opcode and RD kept; AA, TC clear */
    p[3] = 0x80; /* RA, RCODE 0 */
    p[4] = 0; p[5] = 1; p[6] = 0; p[7] = 1; p[8] = 0; p[9] = 0; p[10] = 0; p[11] = 0;
    memcpy(p + at, ANSWER, sizeof ANSWER);
    return at + (int) sizeof ANSWER;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: dnsnull IP PORT BATCH\n");
        return 2;
    }
    int batch = atoi(argv[3]);
    if (batch < 1 || batch > MAX_BATCH) {
        fprintf(stderr, "dnsnull: BATCH must be 1..%d\n", MAX_BATCH);
        return 2;
    }
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    int rcvbuf = 4 << 20; /* as Warren's listening socket */
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2]))};
    if (inet_pton(AF_INET, argv[1], &a.sin_addr) != 1 || bind(fd, (struct sockaddr *) &a, sizeof a) != 0) {
        perror("dnsnull: bind");
        return 1;
    }
    static uint8_t bufs[MAX_BATCH][BUF];
    static struct sockaddr_in peers[MAX_BATCH];
    static struct iovec in_iov[MAX_BATCH], out_iov[MAX_BATCH];
    static struct mmsghdr in[MAX_BATCH], out[MAX_BATCH];
    for (int i = 0; i < batch; i++) {
        in_iov[i] = (struct iovec) {bufs[i], BUF};
        in[i].msg_hdr = (struct msghdr) {.msg_name = &peers[i], .msg_iov = &in_iov[i], .msg_iovlen = 1};
    }
    printf("READY\n");
    fflush(stdout);
    for (;;) {
        for (int i = 0; i < batch; i++) {
            in[i].msg_hdr.msg_namelen = sizeof peers[i];
        }
        int got = recvmmsg(fd, in, batch, MSG_WAITFORONE, NULL);
        if (got <= 0) {
            continue;
        }
        int k = 0;
        for (int i = 0; i < got; i++) {
            int len = answer(bufs[i], (int) in[i].msg_len);
            if (len == 0) {
                continue;
            }
            out_iov[k] = (struct iovec) {bufs[i], (size_t) len};
            out[k].msg_hdr = (struct msghdr) {.msg_name = &peers[i], .msg_namelen = in[i].msg_hdr.msg_namelen,
                                              .msg_iov = &out_iov[k], .msg_iovlen = 1};
            k++;
        }
        for (int sent = 0; sent < k;) {
            int r = sendmmsg(fd, out + sent, k - sent, 0);
            if (r <= 0) {
                break; /* a full send buffer or an error: the rest are lost, as UDP may */
            }
            sent += r;
        }
    }
}
