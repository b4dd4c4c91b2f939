package io.warren.tun.link;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one netlink message: a {@code struct nlmsghdr} (netlink.h), a fixed family header written by
 * the caller, then {@code rtattr} TLVs each padded to 4 bytes (RFC 3549 section 2.3.2). Host byte order.
 * {@link #build()} patches {@code nlmsg_len} and returns a copy. Sans-I/O.
 */
final class NetlinkMessageBuilder {
    private ByteBuffer buf;

    /**
     * @param type  nlmsg_type, e.g. {@link Rtnetlink#RTM_NEWADDR}
     * @param flags nlmsg_flags, e.g. {@code NLM_F_REQUEST | NLM_F_ACK}
     * @param seq   nlmsg_seq, echoed by the kernel in its reply
     * @param order byte order of the host (netlink uses host order)
     */
    NetlinkMessageBuilder(int type, int flags, int seq, ByteOrder order) {
        buf = ByteBuffer.allocate(256).order(order);
        buf.putInt(0); // nlmsg_len, patched in build()
        buf.putShort((short) type);
        buf.putShort((short) flags);
        buf.putInt(seq);
        buf.putInt(0); // nlmsg_pid: 0 addresses the kernel
    }

    NetlinkMessageBuilder u8(int v) {
        room(1);
        buf.put((byte) v);
        return this;
    }

    NetlinkMessageBuilder u16(int v) {
        room(2);
        buf.putShort((short) v);
        return this;
    }

    NetlinkMessageBuilder u32(int v) {
        room(4);
        buf.putInt(v);
        return this;
    }

    /** Appends an rtattr with raw payload (addresses go in network order as given). */
    NetlinkMessageBuilder attr(int type, byte[] payload) {
        int len = Rtnetlink.RTA_HDRLEN + payload.length;
        room(Rtnetlink.align(len));
        buf.putShort((short) len);
        buf.putShort((short) type);
        buf.put(payload);
        pad();
        return this;
    }

    /** Opens a nested rtattr of {@code type}; close it with {@link #endNest(int)} (returns its offset). */
    int beginNest(int type) {
        room(Rtnetlink.RTA_HDRLEN);
        int at = buf.position();
        buf.putShort((short) 0);
        buf.putShort((short) type);
        return at;
    }

    /** Patches the length of the nested rtattr opened at {@code at}. */
    NetlinkMessageBuilder endNest(int at) {
        pad();
        buf.putShort(at, (short) (buf.position() - at));
        return this;
    }

    /** Appends an rtattr holding a host-order u32. */
    NetlinkMessageBuilder attrU32(int type, int value) {
        byte[] b = ByteBuffer.allocate(4).order(buf.order()).putInt(value).array();
        return attr(type, b);
    }

    /** Appends an rtattr holding a NUL-terminated string. */
    NetlinkMessageBuilder attrString(int type, String value) {
        byte[] s = value.getBytes(StandardCharsets.UTF_8);
        return attr(type, Arrays.copyOf(s, s.length + 1));
    }

    /** @return the finished message with nlmsg_len set */
    byte[] build() {
        pad();
        int len = buf.position();
        buf.putInt(0, len);
        return Arrays.copyOf(buf.array(), len);
    }

    private void pad() {
        int aligned = Rtnetlink.align(buf.position());
        room(aligned - buf.position());
        while (buf.position() < aligned) {
            buf.put((byte) 0);
        }
    }

    private void room(int n) {
        if (buf.remaining() < n) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n)).order(buf.order());
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
    }
}
