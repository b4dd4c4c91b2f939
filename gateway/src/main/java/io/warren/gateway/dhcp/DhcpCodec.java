package io.warren.gateway.dhcp;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes and encodes DHCP messages: the fixed header of RFC 2131 §2, the magic cookie
 * (RFC 2131 §3), the option TLVs of RFC 2132 §2 with pad and end, option overload of sname and file
 * (RFC 2132 §9.3, read in the order options, file, sname as RFC 2131 §4.1 says) and long options
 * split and concatenated as RFC 3396 describes.
 *
 * <p>Receive rules, in this order: at least 240 bytes, at most {@link DhcpWire#MAX_MESSAGE}; op 1 or 2; hlen at most 16; the magic
 * cookie; every option inside its field; an end option in every field holding options; option 52
 * only in the options field with a value 1..3; option lengths allowed by
 * {@link DhcpOptions#validLength}; option 53 present with a value 1..8. Bytes after the end option
 * are padding and ignored. Never throws on input.
 */
public final class DhcpCodec {

    private DhcpCodec() {
    }

    /** Decodes the readable bytes of {@code datagram}; its indices are not changed. */
    public static DhcpDecodeResult decode(ByteBuf datagram) {
        int start = datagram.readerIndex();
        int length = datagram.readableBytes();
        if (length < DhcpWire.MIN_LENGTH) {
            return drop(DhcpDropReason.TRUNCATED);
        }
        if (length > DhcpWire.MAX_MESSAGE) {
            return drop(DhcpDropReason.TOO_LONG);
        }
        int op = datagram.getUnsignedByte(start + DhcpWire.OFF_OP);
        if (op != DhcpWire.BOOTREQUEST && op != DhcpWire.BOOTREPLY) {
            return drop(DhcpDropReason.BAD_OP);
        }
        int hlen = datagram.getUnsignedByte(start + DhcpWire.OFF_HLEN);
        if (hlen > DhcpWire.CHADDR_LENGTH) {
            return drop(DhcpDropReason.BAD_HLEN);
        }
        if (datagram.getInt(start + DhcpWire.OFF_OPTIONS - 4) != DhcpWire.MAGIC_COOKIE) {
            return drop(DhcpDropReason.BAD_MAGIC);
        }
        DhcpOptions.Builder b = DhcpOptions.builder();
        DhcpDropReason r = readField(datagram, start + DhcpWire.OFF_OPTIONS, start + length, b, true);
        if (r != null) {
            return drop(r);
        }
        byte[] overloadValue = null;
        if (b.has(DhcpWire.OPT_OVERLOAD)) {
            overloadValue = b.buildChecked().get(DhcpWire.OPT_OVERLOAD).orElseThrow();
            if (overloadValue.length != 1) {
                return drop(DhcpDropReason.BAD_OPTION_LENGTH);
            }
            if (overloadValue[0] < DhcpWire.OVERLOAD_FILE
                    || overloadValue[0] > DhcpWire.OVERLOAD_BOTH) {
                return drop(DhcpDropReason.BAD_OVERLOAD);
            }
        }
        int overload = overloadValue == null ? 0 : overloadValue[0];
        if ((overload & DhcpWire.OVERLOAD_FILE) != 0) {
            int at = start + DhcpWire.OFF_FILE;
            r = readField(datagram, at, at + DhcpWire.FILE_LENGTH, b, false);
            if (r != null) {
                return drop(r);
            }
        }
        if ((overload & DhcpWire.OVERLOAD_SNAME) != 0) {
            int at = start + DhcpWire.OFF_SNAME;
            r = readField(datagram, at, at + DhcpWire.SNAME_LENGTH, b, false);
            if (r != null) {
                return drop(r);
            }
        }
        DhcpOptions options = b.buildChecked();
        for (int code : options.codes()) {
            if (!DhcpOptions.validLength(code, options.length(code))) {
                return drop(DhcpDropReason.BAD_OPTION_LENGTH);
            }
        }
        if (!options.has(DhcpWire.OPT_MESSAGE_TYPE)) {
            return drop(DhcpDropReason.MISSING_MESSAGE_TYPE);
        }
        if (options.messageType().isEmpty()) {
            return drop(DhcpDropReason.UNKNOWN_MESSAGE_TYPE);
        }
        byte[] chaddr = new byte[DhcpWire.CHADDR_LENGTH];
        byte[] sname = new byte[DhcpWire.SNAME_LENGTH];
        byte[] file = new byte[DhcpWire.FILE_LENGTH];
        datagram.getBytes(start + DhcpWire.OFF_CHADDR, chaddr);
        datagram.getBytes(start + DhcpWire.OFF_SNAME, sname);
        datagram.getBytes(start + DhcpWire.OFF_FILE, file);
        return new DhcpDecodeResult.Decoded(new DhcpMessage(op,
                datagram.getUnsignedByte(start + DhcpWire.OFF_HTYPE), hlen,
                datagram.getUnsignedByte(start + DhcpWire.OFF_HOPS),
                datagram.getInt(start + DhcpWire.OFF_XID),
                datagram.getUnsignedShort(start + DhcpWire.OFF_SECS),
                datagram.getUnsignedShort(start + DhcpWire.OFF_FLAGS),
                datagram.getInt(start + DhcpWire.OFF_CIADDR), datagram.getInt(start + DhcpWire.OFF_YIADDR),
                datagram.getInt(start + DhcpWire.OFF_SIADDR), datagram.getInt(start + DhcpWire.OFF_GIADDR),
                chaddr, sname, file, options));
    }

    /** Reads the TLVs in [from, to) into {@code b}; null on success, else why the message is dropped. */
    private static DhcpDropReason readField(ByteBuf buf, int from, int to, DhcpOptions.Builder b, boolean mainField) {
        int at = from;
        while (at < to) {
            int code = buf.getUnsignedByte(at);
            if (code == DhcpWire.OPT_END) {
                return null;
            }
            if (code == DhcpWire.OPT_PAD) {
                at++;
                continue;
            }
            if (at + 1 >= to) {
                return DhcpDropReason.OPTION_OVERFLOW;
            }
            int len = buf.getUnsignedByte(at + 1);
            if (at + 2 + len > to) {
                return DhcpDropReason.OPTION_OVERFLOW;
            }
            if (code == DhcpWire.OPT_OVERLOAD && !mainField) {
                return DhcpDropReason.BAD_OVERLOAD;
            }
            byte[] value = new byte[len];
            buf.getBytes(at + 2, value);
            b.add(code, value); // lengths are checked once the pieces are joined (RFC 3396 §5)
            at += 2 + len;
        }
        return DhcpDropReason.MISSING_END;
    }

    private static DhcpDecodeResult drop(DhcpDropReason reason) {
        return new DhcpDecodeResult.Dropped(reason);
    }

    /**
     * Appends {@code m} to {@code out}, at most {@code maxLength} bytes (at least 576, RFC 2131 §2)
     * and at least {@link DhcpWire#MIN_REPLY_LENGTH} (zero padded). Options that do not fit the
     * options field go to file and then sname with option 52 (RFC 2132 §9.3) when both are empty;
     * an option that fits nowhere is left out.
     *
     * @return the number of options left out (0 normally)
     */
    public static int encode(DhcpMessage m, int maxLength, ByteBuf out) {
        int max = Math.max(maxLength, DhcpWire.DEFAULT_MAX_MESSAGE);
        List<byte[]> tlvs = new ArrayList<>();
        int total = 1;
        for (int code : m.options().codes()) {
            if (code == DhcpWire.OPT_OVERLOAD) {
                continue;
            }
            byte[] tlv = tlv(code, m.options().get(code).orElseThrow());
            tlvs.add(tlv);
            total += tlv.length;
        }
        int mainCapacity = max - DhcpWire.MIN_LENGTH;
        boolean fieldsEmpty = isZero(m.snameRaw()) && isZero(m.fileRaw());
        boolean overload = total > mainCapacity && fieldsEmpty;
        byte[] sname = m.snameRaw().clone();
        byte[] file = m.fileRaw().clone();
        Area main = new Area(new byte[mainCapacity]);
        Area fileArea = new Area(overload ? file : new byte[0]);
        Area snameArea = new Area(overload ? sname : new byte[0]);
        int overloadAt = -1;
        if (overload) {
            overloadAt = main.put(new byte[] {(byte) DhcpWire.OPT_OVERLOAD, 1, 0});
        }
        int omitted = 0;
        for (byte[] tlv : tlvs) {
            if (main.put(tlv) < 0 && fileArea.put(tlv) < 0 && snameArea.put(tlv) < 0) {
                omitted++;
            }
        }
        if (overload) {
            int used = (fileArea.used > 0 ? DhcpWire.OVERLOAD_FILE : 0) | (snameArea.used > 0 ? DhcpWire.OVERLOAD_SNAME : 0);
            if (used == 0) {
                used = DhcpWire.OVERLOAD_FILE;
            }
            main.bytes[overloadAt + 2] = (byte) used;
            main.end();
            if ((used & DhcpWire.OVERLOAD_FILE) != 0) {
                fileArea.end();
            }
            if ((used & DhcpWire.OVERLOAD_SNAME) != 0) {
                snameArea.end();
            }
        } else {
            main.end();
        }
        int start = out.writerIndex();
        out.writeByte(m.op()).writeByte(m.htype()).writeByte(m.hlen()).writeByte(m.hops());
        out.writeInt(m.xid()).writeShort(m.secs()).writeShort(m.flags());
        out.writeInt(m.ciaddr()).writeInt(m.yiaddr()).writeInt(m.siaddr()).writeInt(m.giaddr());
        out.writeBytes(m.chaddrRaw()).writeBytes(sname).writeBytes(file);
        out.writeInt(DhcpWire.MAGIC_COOKIE);
        out.writeBytes(main.bytes, 0, main.used);
        int written = out.writerIndex() - start;
        if (written < DhcpWire.MIN_REPLY_LENGTH) {
            out.writeZero(DhcpWire.MIN_REPLY_LENGTH - written);
        }
        return omitted;
    }

    /** Code, length, value, split into 255-byte pieces (RFC 3396 §6). */
    private static byte[] tlv(int code, byte[] value) {
        int pieces = Math.max(1, (value.length + 254) / 255);
        byte[] out = new byte[value.length + 2 * pieces];
        int at = 0;
        int from = 0;
        for (int i = 0; i < pieces; i++) {
            int n = Math.min(255, value.length - from);
            out[at++] = (byte) code;
            out[at++] = (byte) n;
            System.arraycopy(value, from, out, at, n);
            at += n;
            from += n;
        }
        return out;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** A field being filled with TLVs, always keeping one byte for the end option. */
    private static final class Area {
        final byte[] bytes;
        int used;

        Area(byte[] bytes) {
            this.bytes = bytes;
        }

        int put(byte[] tlv) {
            if (used + tlv.length + 1 > bytes.length) {
                return -1;
            }
            int at = used;
            System.arraycopy(tlv, 0, bytes, used, tlv.length);
            used += tlv.length;
            return at;
        }

        void end() {
            if (used < bytes.length) {
                bytes[used++] = (byte) DhcpWire.OPT_END;
                java.util.Arrays.fill(bytes, used, bytes.length, (byte) 0);
            }
        }
    }
}
