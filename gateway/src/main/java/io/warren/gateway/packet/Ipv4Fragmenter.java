package io.warren.gateway.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * IPv4 fragmentation as described in RFC 791 §3.2 ("An Example Fragmentation Procedure"): the
 * data is cut into pieces whose length is a multiple of 8 bytes (except the last), every fragment
 * gets a copy of the header with Total Length, MF, Fragment Offset and checksum adjusted; the
 * first fragment keeps all options, later fragments keep only options whose copied flag is set
 * (RFC 791 §3.1 "Options"), padded with End of Option List to a 4-byte boundary.
 */
public final class Ipv4Fragmenter {

    /** Option type End of Option List. */
    static final int OPT_EOL = 0;
    /** Option type No Operation. */
    static final int OPT_NOP = 1;
    /** The "copied" flag of an option type octet. */
    static final int OPT_COPIED = 0x80;
    /** Largest datagram, header included: the 16-bit Total Length (RFC 791 §3.1). */
    static final int MAX_DATAGRAM = 0xFFFF;

    /** Result of {@link #fragment}. */
    public sealed interface Result {
        /** The packet already fits; nothing was allocated. */
        record Fits() implements Result {
        }

        /** Fragments in order of offset; the caller owns and must release every buffer. */
        record Fragments(List<ByteBuf> fragments) implements Result {
        }

        /** Fragmentation was not possible. */
        record Refused(Reason reason) implements Result {
        }
    }

    /** Why a packet could not be fragmented. */
    public enum Reason {
        /** Invalid IPv4 packet, or a fragment whose data would end past 65,515 bytes of data. */
        MALFORMED,
        /** DF is set: the caller should send ICMP fragmentation needed instead. */
        DONT_FRAGMENT,
        /** MTU below 68 (RFC 791 §3.2) or too small for the header plus 8 data bytes. */
        MTU_TOO_SMALL
    }

    private Ipv4Fragmenter() {
    }

    /**
     * Splits the IPv4 packet at the readerIndex of {@code packet} into fragments of at most
     * {@code mtu} bytes. The input buffer is not modified or released.
     */
    public static Result fragment(ByteBufAllocator alloc, ByteBuf packet, int mtu) {
        int ip = packet.readerIndex();
        if (Ipv4Header.check(packet, ip) != IpCheck.VALID) {
            return new Result.Refused(Reason.MALFORMED);
        }
        int total = Ipv4Header.totalLength(packet, ip);
        if (total <= mtu) {
            return new Result.Fits();
        }
        if (Ipv4Header.dontFragment(packet, ip)) {
            return new Result.Refused(Reason.DONT_FRAGMENT);
        }
        int headerLength = Ipv4Header.headerLength(packet, ip);
        if (mtu < Ipv4Header.MIN_MTU || mtu - headerLength < 8) {
            return new Result.Refused(Reason.MTU_TOO_SMALL);
        }
        byte[] laterOptions = copiedOptions(packet, ip + Ipv4Header.MIN_LENGTH, headerLength - Ipv4Header.MIN_LENGTH);
        if (laterOptions == null) {
            return new Result.Refused(Reason.MALFORMED);
        }
        int flagsWord = Ipv4Header.flagsAndFragmentOffset(packet, ip);
        int baseOffset = (flagsWord & Ipv4Header.FRAGMENT_OFFSET_MASK) * 8;
        boolean originalMf = (flagsWord & Ipv4Header.FLAG_MF) != 0;
        int reservedBit = flagsWord & 0x8000;
        int dataStart = ip + headerLength;
        int dataLength = total - headerLength;
        if (baseOffset + dataLength > MAX_DATAGRAM - Ipv4Header.MIN_LENGTH) {
            // A (forged) fragment ending past the largest datagram: a later piece's offset would
            // not fit the 13-bit field and would spill into the flags.
            return new Result.Refused(Reason.MALFORMED);
        }

        List<ByteBuf> out = new ArrayList<>();
        int done = 0;
        boolean success = false;
        try {
            while (done < dataLength) {
                boolean first = done == 0;
                int fragHeader = first ? headerLength : Ipv4Header.MIN_LENGTH + laterOptions.length;
                int room = ((mtu - fragHeader) / 8) * 8;
                int chunk = Math.min(room, dataLength - done);
                boolean last = done + chunk == dataLength;
                ByteBuf frag = alloc.buffer(fragHeader + chunk);
                out.add(frag);
                frag.writeBytes(packet, ip, Ipv4Header.MIN_LENGTH);
                if (first) {
                    frag.writeBytes(packet, ip + Ipv4Header.MIN_LENGTH, headerLength - Ipv4Header.MIN_LENGTH);
                } else {
                    frag.writeBytes(laterOptions);
                    frag.setByte(0, 0x40 | (fragHeader / 4));
                }
                frag.writeBytes(packet, dataStart + done, chunk);
                boolean mf = !last || originalMf;
                int offsetUnits = (baseOffset + done) / 8;
                frag.setShort(Ipv4Header.OFF_FLAGS_FRAGMENT, reservedBit | (mf ? Ipv4Header.FLAG_MF : 0) | offsetUnits);
                Ipv4Header.setTotalLength(frag, 0, fragHeader + chunk);
                Ipv4Header.updateHeaderChecksum(frag, 0);
                done += chunk;
            }
            success = true;
            return new Result.Fragments(List.copyOf(out));
        } finally {
            if (!success) {
                out.forEach(ByteBuf::release);
            }
        }
    }

    /** The options with the copied flag, padded with EOL to a multiple of 4; null if malformed. */
    static byte[] copiedOptions(ByteBuf buf, int index, int length) {
        byte[] copied = new byte[length];
        int n = 0;
        int at = index;
        int end = index + length;
        while (at < end) {
            int type = buf.getUnsignedByte(at);
            if (type == OPT_EOL) {
                break;
            }
            if (type == OPT_NOP) {
                at++;
                continue;
            }
            if (end - at < 2) {
                return null;
            }
            int len = buf.getUnsignedByte(at + 1);
            if (len < 2 || end - at < len) {
                return null;
            }
            if ((type & OPT_COPIED) != 0) {
                buf.getBytes(at, copied, n, len);
                n += len;
            }
            at += len;
        }
        int padded = (n + 3) & ~3;
        byte[] result = new byte[padded];
        System.arraycopy(copied, 0, result, 0, n);
        return result;
    }
}
