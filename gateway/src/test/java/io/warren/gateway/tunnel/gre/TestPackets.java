package io.warren.gateway.tunnel.gre;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.gateway.packet.InetChecksum;
import io.warren.gateway.packet.Ipv4Header;
import io.warren.gateway.packet.Ipv6Header;

/** Builds inner test packets with non-zero fields and valid checksums, in buffers with headroom. */
final class TestPackets {
    static final int HEADROOM = 32;

    private TestPackets() {
    }

    /** An IPv4 UDP packet of {@code total} bytes, from 10.1.0.5 to {@code dst}. */
    static ByteBuf ipv4(int dst, int total, int ttl, boolean df) {
        ByteBuf b = Unpooled.directBuffer(HEADROOM + total);
        b.writerIndex(HEADROOM).readerIndex(HEADROOM);
        b.writeByte(0x45).writeByte(0x10).writeShort(total).writeShort(0x1234)
                .writeShort(df ? Ipv4Header.FLAG_DF : 0).writeByte(ttl).writeByte(17).writeShort(0)
                .writeInt(0x0a010005).writeInt(dst);
        b.writeShort(40000).writeShort(5001).writeShort(total - 20).writeShort(0);
        for (int i = 28; i < total; i++) {
            b.writeByte(i);
        }
        Ipv4Header.updateHeaderChecksum(b, HEADROOM);
        return b;
    }

    /** An IPv6 UDP packet of {@code total} bytes from fd01::5 to fd02::9. */
    static ByteBuf ipv6(int total, int hopLimit) {
        ByteBuf b = Unpooled.directBuffer(HEADROOM + total);
        b.writerIndex(HEADROOM).readerIndex(HEADROOM);
        b.writeInt(0x6000_0001).writeShort(total - 40).writeByte(17).writeByte(hopLimit);
        b.writeLong(0xfd01_0000_0000_0000L).writeLong(5).writeLong(0xfd02_0000_0000_0000L).writeLong(9);
        b.writeShort(40000).writeShort(5001).writeShort(total - 40).writeShort(0x1111);
        for (int i = 48; i < total; i++) {
            b.writeByte(i);
        }
        return b;
    }

    /** An IPv4 TCP SYN from 10.1.0.5 to {@code dst} with an MSS option of {@code mss}. */
    static ByteBuf tcpSyn(int dst, int mss) {
        int total = 20 + 24;
        ByteBuf b = Unpooled.directBuffer(HEADROOM + total);
        b.writerIndex(HEADROOM).readerIndex(HEADROOM);
        b.writeByte(0x45).writeByte(0).writeShort(total).writeShort(7).writeShort(Ipv4Header.FLAG_DF)
                .writeByte(64).writeByte(6).writeShort(0).writeInt(0x0a010005).writeInt(dst);
        int tcp = b.writerIndex();
        b.writeShort(40000).writeShort(80).writeInt(1000).writeInt(0).writeByte(6 << 4).writeByte(0x02)
                .writeShort(64240).writeShort(0).writeShort(0);
        b.writeByte(2).writeByte(4).writeShort(mss);
        Ipv4Header.updateHeaderChecksum(b, HEADROOM);
        long sum = Ipv4Header.pseudoHeaderSum(b, HEADROOM, 6, 24);
        b.setShort(tcp + 16, InetChecksum.finish(InetChecksum.sum(b, tcp, 24, sum)));
        return b;
    }

    /** The MSS option value of {@link #tcpSyn}'s layout. */
    static int mssOf(ByteBuf inner) {
        return inner.getUnsignedShort(inner.readerIndex() + 20 + 22);
    }

    static int hopLimitOffset() {
        return 7;
    }

    static boolean v6Valid(ByteBuf b) {
        return Ipv6Header.check(b, b.readerIndex()) == io.warren.gateway.packet.IpCheck.VALID;
    }
}
