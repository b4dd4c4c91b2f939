package io.warren.tun.link;

/**
 * One decoded message of a kernel reply (RFC 3549 section 2.3.2.2, rtnetlink(7)). Sealed: callers switch
 * over every case; a malformed reply is a {@link Malformed} value with a countable reason, not an exception.
 */
sealed interface NetlinkReply {

    /** NLMSG_ERROR with error 0: the request with {@code seq} succeeded. */
    record Ack(int seq) implements NetlinkReply {
    }

    /**
     * NLMSG_ERROR with a negative error: the request failed.
     *
     * @param seq    the failed request's sequence number
     * @param errno  positive errno, e.g. 22 for EINVAL
     * @param extAck the kernel's extended-ack text (NLMSGERR_ATTR_MSG), empty when none
     */
    record Failure(int seq, int errno, String extAck) implements NetlinkReply {
    }

    /**
     * RTM_NEWLINK describing one link.
     *
     * @param seq   sequence number
     * @param index ifi_index
     * @param flags ifi_flags (IFF_UP = 1 ...)
     * @param name  IFLA_IFNAME, empty when absent
     * @param mtu   IFLA_MTU, -1 when absent
     * @param ipv4Forwarding net.ipv4.conf.NAME.forwarding from IFLA_AF_SPEC/AF_INET/IFLA_INET_CONF,
     *                       -1 when absent (no IPv4 on the device)
     */
    record Link(int seq, int index, int flags, String name, int mtu, int ipv4Forwarding) implements NetlinkReply {
        /** A link without IPv4 devconf. */
        public Link(int seq, int index, int flags, String name, int mtu) {
            this(seq, index, flags, name, mtu, -1);
        }
    }

    /** NLMSG_DONE: end of a multipart reply. */
    record Done(int seq) implements NetlinkReply {
    }

    /** A well-formed message of a type this package does not use (NLMSG_NOOP, address dumps, ...). */
    record Ignored(int seq, int type) implements NetlinkReply {
    }

    /** The bytes do not form a valid message; parsing of the datagram stopped here. */
    record Malformed(Reason reason) implements NetlinkReply {
    }

    /** Why a reply was malformed. */
    enum Reason {
        /** Fewer than 16 bytes left for a nlmsghdr. */
        TRUNCATED_HEADER,
        /** nlmsg_len below 16 or beyond the datagram. */
        BAD_MESSAGE_LENGTH,
        /** NLMSG_ERROR body shorter than struct nlmsgerr. */
        TRUNCATED_ERROR,
        /** NLMSG_ERROR with a positive (impossible) error value. */
        BAD_ERROR_CODE,
        /** RTM_NEWLINK body shorter than struct ifinfomsg. */
        TRUNCATED_IFINFOMSG,
        /** rta_len below 4 or beyond its message, or a fixed-size attribute of the wrong size. */
        BAD_ATTRIBUTE,
        /** NLMSG_OVERRUN: the kernel dropped data. */
        OVERRUN,
        /** The datagram was larger than the receive buffer (MSG_TRUNC). */
        DATAGRAM_TRUNCATED
    }
}
