package io.warren.tun.link;

import static io.warren.tun.link.Rtnetlink.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.warren.tun.link.NetlinkReply.Reason;

/**
 * Splits a received netlink datagram into messages (NLMSG_OK / NLMSG_NEXT of netlink(3)) and decodes
 * the ones this package uses: NLMSG_ERROR (with the extended-ack message, linux/netlink.h
 * {@code struct nlmsgerr}), NLMSG_DONE and RTM_NEWLINK (ifinfomsg + IFLA_IFNAME, IFLA_MTU). Never
 * throws on bad input: truncated, oversized or forged lengths end the list with a {@link
 * NetlinkReply.Malformed}. Sans-I/O; the input array is only read.
 */
final class NetlinkReplyParser {
    private NetlinkReplyParser() {
    }

    /**
     * @param datagram bytes received from the socket
     * @param length   number of valid bytes in {@code datagram}
     * @param order    host byte order
     * @return one entry per message, in order; a Malformed entry is always last
     */
    static List<NetlinkReply> parse(byte[] datagram, int length, ByteOrder order) {
        List<NetlinkReply> out = new ArrayList<>();
        if (length < 0 || length > datagram.length) {
            out.add(new NetlinkReply.Malformed(Reason.BAD_MESSAGE_LENGTH));
            return out;
        }
        ByteBuffer b = ByteBuffer.wrap(datagram, 0, length).order(order);
        int pos = 0;
        while (pos < length) {
            if (length - pos < NLMSG_HDRLEN) {
                out.add(new NetlinkReply.Malformed(Reason.TRUNCATED_HEADER));
                return out;
            }
            long msgLen = Integer.toUnsignedLong(b.getInt(pos));
            if (msgLen < NLMSG_HDRLEN || msgLen > length - pos) {
                out.add(new NetlinkReply.Malformed(Reason.BAD_MESSAGE_LENGTH));
                return out;
            }
            int end = pos + (int) msgLen;
            NetlinkReply r = message(b, pos, end);
            out.add(r);
            if (r instanceof NetlinkReply.Malformed) {
                return out;
            }
            pos += align((int) msgLen);
        }
        return out;
    }

    private static NetlinkReply message(ByteBuffer b, int start, int end) {
        int type = Short.toUnsignedInt(b.getShort(start + 4));
        int flags = Short.toUnsignedInt(b.getShort(start + 6));
        int seq = b.getInt(start + 8);
        int body = start + NLMSG_HDRLEN;
        switch (type) {
            case NLMSG_ERROR:
                return error(b, seq, flags, body, end);
            case NLMSG_DONE:
                return new NetlinkReply.Done(seq);
            case NLMSG_OVERRUN:
                return new NetlinkReply.Malformed(Reason.OVERRUN);
            case RTM_NEWLINK:
                return link(b, seq, body, end);
            default:
                return new NetlinkReply.Ignored(seq, type);
        }
    }

    private static NetlinkReply error(ByteBuffer b, int seq, int flags, int body, int end) {
        if (end - body < NLMSGERR_SIZE) {
            return new NetlinkReply.Malformed(Reason.TRUNCATED_ERROR);
        }
        int error = b.getInt(body);
        if (error == 0) {
            return new NetlinkReply.Ack(seq);
        }
        if (error > 0 || error == Integer.MIN_VALUE) {
            return new NetlinkReply.Malformed(Reason.BAD_ERROR_CODE);
        }
        return new NetlinkReply.Failure(seq, -error, extAck(b, flags, body, end));
    }

    /** NLMSGERR_ATTR_MSG after the (possibly capped) echoed request; empty when absent or unreadable. */
    private static String extAck(ByteBuffer b, int flags, int body, int end) {
        if ((flags & NLM_F_ACK_TLVS) == 0) {
            return "";
        }
        int echoed = body + 4;
        long echoedLen = Integer.toUnsignedLong(b.getInt(echoed));
        long tlvs = (flags & NLM_F_CAPPED) != 0 ? echoed + NLMSG_HDRLEN : echoed + align32(echoedLen);
        if (echoedLen < NLMSG_HDRLEN || tlvs > end) {
            return "";
        }
        for (int a = (int) tlvs; a + RTA_HDRLEN <= end; ) {
            int len = Short.toUnsignedInt(b.getShort(a));
            int type = Short.toUnsignedInt(b.getShort(a + 2)) & NLA_TYPE_MASK;
            if (len < RTA_HDRLEN || a + len > end) {
                return "";
            }
            if (type == NLMSGERR_ATTR_MSG) {
                return cString(b, a + RTA_HDRLEN, a + len);
            }
            a += align(len);
        }
        return "";
    }

    private static NetlinkReply link(ByteBuffer b, int seq, int body, int end) {
        if (end - body < IFINFOMSG_SIZE) {
            return new NetlinkReply.Malformed(Reason.TRUNCATED_IFINFOMSG);
        }
        int index = b.getInt(body + 4);
        int ifFlags = b.getInt(body + 8);
        String name = "";
        int mtu = -1;
        int forwarding = -1;
        int a = body + IFINFOMSG_SIZE;
        while (a + RTA_HDRLEN <= end) {
            int len = Short.toUnsignedInt(b.getShort(a));
            int type = Short.toUnsignedInt(b.getShort(a + 2)) & NLA_TYPE_MASK;
            if (len < RTA_HDRLEN || a + len > end) {
                return new NetlinkReply.Malformed(Reason.BAD_ATTRIBUTE);
            }
            if (type == IFLA_IFNAME) {
                name = cString(b, a + RTA_HDRLEN, a + len);
            } else if (type == IFLA_MTU) {
                if (len != RTA_HDRLEN + 4) {
                    return new NetlinkReply.Malformed(Reason.BAD_ATTRIBUTE);
                }
                mtu = b.getInt(a + RTA_HDRLEN);
            } else if (type == IFLA_AF_SPEC) {
                int inet = nested(b, a + RTA_HDRLEN, a + len, AF_INET);
                int conf = inet < 0 ? -1 : nested(b, inet + RTA_HDRLEN, inet + attrLen(b, inet), IFLA_INET_CONF);
                if (inet == -2 || conf == -2) {
                    return new NetlinkReply.Malformed(Reason.BAD_ATTRIBUTE);
                }
                if (conf >= 0 && attrLen(b, conf) >= RTA_HDRLEN + 4 * IPV4_DEVCONF_FORWARDING) {
                    forwarding = b.getInt(conf + RTA_HDRLEN + 4 * (IPV4_DEVCONF_FORWARDING - 1));
                }
            }
            a += align(len);
        }
        return new NetlinkReply.Link(seq, index, ifFlags, name, mtu, forwarding);
    }

    private static int attrLen(ByteBuffer b, int at) {
        return Short.toUnsignedInt(b.getShort(at));
    }

    /** Offset of the first rtattr of {@code want} type in [from, to); -1 when absent, -2 when malformed. */
    private static int nested(ByteBuffer b, int from, int to, int want) {
        int a = from;
        while (a + RTA_HDRLEN <= to) {
            int len = attrLen(b, a);
            int type = Short.toUnsignedInt(b.getShort(a + 2)) & NLA_TYPE_MASK;
            if (len < RTA_HDRLEN || a + len > to) {
                return -2;
            }
            if (type == want) {
                return a;
            }
            a += align(len);
        }
        return -1;
    }

    private static String cString(ByteBuffer b, int from, int to) {
        int n = from;
        while (n < to && b.get(n) != 0) {
            n++;
        }
        byte[] s = new byte[n - from];
        b.get(from, s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static long align32(long len) {
        return (len + NLMSG_ALIGNTO - 1) & ~(long) (NLMSG_ALIGNTO - 1);
    }
}
