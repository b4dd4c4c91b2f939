package io.warren.tun.raw;

/**
 * The Linux socket ABI constants this package uses (x86_64/arm64 generic values), named as in
 * {@code <sys/socket.h>}, {@code <netinet/in.h>}, {@code <linux/in6.h>} and {@code <poll.h>}, and
 * the layouts of {@code struct sockaddr_in} (16 bytes) and {@code struct sockaddr_in6} (28 bytes):
 * family in host byte order, port and address in network byte order.
 */
final class RawWire {
    private RawWire() {
    }

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;

    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_SNDBUFFORCE = 32;
    static final int SO_RCVBUFFORCE = 33;

    static final int IPPROTO_IP = 0;
    static final int IP_TTL = 2;
    static final int IP_MTU_DISCOVER = 10;
    static final int IP_MTU = 14;
    static final int IPPROTO_IPV6 = 41;
    static final int IPV6_UNICAST_HOPS = 16;
    static final int IPV6_MTU_DISCOVER = 23;
    static final int IPV6_MTU = 24;
    /** Path MTU discovery values of IP_MTU_DISCOVER / IPV6_MTU_DISCOVER. */
    static final int IP_PMTUDISC_DONT = 0;
    static final int IP_PMTUDISC_DO = 2;

    static final int SHUT_RDWR = 2;
    static final int MSG_TRUNC = 0x20;
    /** recvmmsg(2): block for the first message only. */
    static final int MSG_WAITFORONE = 0x10000;
    /** struct mmsghdr: a struct msghdr, then msg_len (u32), padded to 64 bytes. */
    static final int MMSGHDR_SIZE = 64;
    static final int MMSG_LEN = 56;
    static final short POLLIN = 0x1;

    /** struct iovec: iov_base pointer, iov_len size_t. */
    static final int IOVEC_SIZE = 16;
    /**
     * struct msghdr (x86_64/arm64): msg_name at 0, msg_namelen u32 at 8, msg_iov at 16,
     * msg_iovlen at 24, msg_control at 32, msg_controllen at 40, msg_flags s32 at 48.
     */
    static final int MSGHDR_SIZE = 56;
    static final int MSG_NAME = 0;
    static final int MSG_NAMELEN = 8;
    static final int MSG_IOV = 16;
    static final int MSG_IOVLEN = 24;

    static final int SOCKADDR_IN_SIZE = 16;
    static final int SOCKADDR_IN6_SIZE = 28;
    /** Room for either socket address. */
    static final int SOCKADDR_MAX = 28;

    static final int EINTR = 4;
}
