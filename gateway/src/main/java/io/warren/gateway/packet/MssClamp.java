package io.warren.gateway.packet;

import io.netty.buffer.ByteBuf;

/**
 * Clamps the Maximum Segment Size option (RFC 9293 §3.7.1, option kind 2, length 4) of TCP SYN
 * and SYN-ACK segments carried in an IPv4 or IPv6 packet, in place, so that peers behind a tunnel
 * do not send segments larger than the tunnel MTU allows. The TCP checksum is fixed with the
 * incremental update of RFC 1624 §3 rather than recomputed.
 */
public final class MssClamp {

    /** TCP option kind End of Option List. */
    static final int OPT_EOL = 0;
    /** TCP option kind No-Operation. */
    static final int OPT_NOP = 1;
    /** TCP option kind Maximum Segment Size. */
    static final int OPT_MSS = 2;
    /** TCP flag SYN. */
    static final int FLAG_SYN = 0x02;

    /** What {@link #clamp} did. */
    public enum Outcome {
        /** The MSS was above the limit and has been lowered. */
        CLAMPED,
        /** An MSS option was present and already at or below the limit. */
        UNCHANGED,
        /** TCP SYN without an MSS option: left as is. */
        NO_MSS_OPTION,
        /** A TCP segment without SYN. */
        NOT_SYN,
        /** Not TCP, or a non-first fragment. */
        NOT_TCP,
        /** Malformed IP or TCP header; left untouched. */
        MALFORMED
    }

    private MssClamp() {
    }

    /**
     * Lowers every MSS option of the TCP SYN in {@code packet} (an IP packet at its readerIndex)
     * to {@code maxMss} if it is larger: a receiver takes the last MSS option of length 4 and
     * skips one of another length (as Linux tcp_parse_options does), so none may stay above.
     */
    public static Outcome clamp(ByteBuf packet, int maxMss) {
        int ip = packet.readerIndex();
        if (packet.readableBytes() < 1) {
            return Outcome.MALFORMED;
        }
        int tcp;
        int end;
        switch (Ipv4Header.version(packet, ip)) {
            case 4 -> {
                if (Ipv4Header.check(packet, ip) != IpCheck.VALID) {
                    return Outcome.MALFORMED;
                }
                if (Ipv4Header.protocol(packet, ip) != IpProtocols.TCP
                        || Ipv4Header.fragmentOffset(packet, ip) != 0) {
                    return Outcome.NOT_TCP;
                }
                tcp = ip + Ipv4Header.headerLength(packet, ip);
                end = ip + Ipv4Header.totalLength(packet, ip);
            }
            case 6 -> {
                if (Ipv6Header.check(packet, ip) != IpCheck.VALID) {
                    return Outcome.MALFORMED;
                }
                if (Ipv6Header.upperLayerProtocol(packet, ip) != IpProtocols.TCP) {
                    return Outcome.NOT_TCP;
                }
                tcp = Ipv6Header.upperLayerIndex(packet, ip);
                end = ip + Ipv6Header.LENGTH + Ipv6Header.payloadLength(packet, ip);
            }
            default -> {
                return Outcome.MALFORMED;
            }
        }
        return clampTcp(packet, tcp, end, maxMss);
    }

    private static Outcome clampTcp(ByteBuf packet, int tcp, int end, int maxMss) {
        if (end - tcp < 20) {
            return Outcome.MALFORMED;
        }
        int dataOffset = (packet.getUnsignedByte(tcp + 12) >>> 4) * 4;
        if (dataOffset < 20 || end - tcp < dataOffset) {
            return Outcome.MALFORMED;
        }
        if ((packet.getUnsignedByte(tcp + 13) & FLAG_SYN) == 0) {
            return Outcome.NOT_SYN;
        }
        // Walk every option as a receiver does (Linux tcp_parse_options): an MSS option of another
        // length than 4 is skipped, and the receiver takes the last MSS option, so every one is
        // clamped. A malformed option ends the walk; options before it still count.
        Outcome outcome = Outcome.NO_MSS_OPTION;
        int at = tcp + 20;
        int optionsEnd = tcp + dataOffset;
        while (at < optionsEnd) {
            int kind = packet.getUnsignedByte(at);
            if (kind == OPT_EOL) {
                break;
            }
            if (kind == OPT_NOP) {
                at++;
                continue;
            }
            int len = optionsEnd - at < 2 ? 0 : packet.getUnsignedByte(at + 1); // 0: no length byte
            if (len < 2 || optionsEnd - at < len) {
                return outcome == Outcome.NO_MSS_OPTION ? Outcome.MALFORMED : outcome;
            }
            if (kind == OPT_MSS && len == 4) {
                if (rewrite(packet, tcp, at + 2, maxMss)) {
                    outcome = Outcome.CLAMPED;
                } else if (outcome == Outcome.NO_MSS_OPTION) {
                    outcome = Outcome.UNCHANGED;
                }
            }
            at += len;
        }
        return outcome;
    }

    /**
     * Writes the new MSS at {@code valueIndex} if the old one is above {@code maxMss} and updates
     * the checksum word by word; returns whether it did.
     */
    private static boolean rewrite(ByteBuf packet, int tcp, int valueIndex, int maxMss) {
        int mss = packet.getUnsignedShort(valueIndex);
        if (mss <= maxMss) {
            return false;
        }
        int checksumIndex = tcp + 16;
        int checksum = packet.getUnsignedShort(checksumIndex);
        // The checksum sums 16-bit words aligned to the start of the TCP header; an MSS value at an
        // odd offset (after a single NOP) straddles two such words; the second is read only then,
        // as the value may end the packet.
        int first = valueIndex - ((valueIndex - tcp) & 1);
        boolean straddles = first != valueIndex;
        int before0 = packet.getUnsignedShort(first);
        int before1 = straddles ? packet.getUnsignedShort(first + 2) : 0;
        packet.setShort(valueIndex, maxMss);
        checksum = InetChecksum.update16(checksum, before0, packet.getUnsignedShort(first));
        if (straddles) {
            checksum = InetChecksum.update16(checksum, before1, packet.getUnsignedShort(first + 2));
        }
        packet.setShort(checksumIndex, checksum);
        return true;
    }
}
