package io.warren.gateway.dhcp;

import java.util.Arrays;
import java.util.Objects;

/**
 * One DHCP message, the fields of RFC 2131 §2 (Figure 1) with the options decoded. Immutable: the
 * arrays are copied in and out. Addresses are IPv4 addresses as ints (0 = 0.0.0.0).
 *
 * <p>When option 52 overloads sname or file (RFC 2132 §9.3), {@code sname}/{@code file} still hold
 * the raw field bytes and their options are merged into {@code options}.
 *
 * @param op      BOOTREQUEST (1) or BOOTREPLY (2)
 * @param htype   hardware address type (1 = Ethernet)
 * @param hlen    hardware address length, 0..16
 * @param hops    relay hop count
 * @param xid     transaction id chosen by the client
 * @param secs    seconds since the client began acquisition, 0..65535
 * @param flags   flags; bit 15 is BROADCAST (RFC 2131 §2)
 * @param ciaddr  client address when the client is BOUND, RENEWING or REBINDING
 * @param yiaddr  "your" address, set by the server
 * @param siaddr  next server (TFTP) address
 * @param giaddr  relay agent address
 * @param chaddr  client hardware address, 16 bytes
 * @param sname   server host name field, 64 bytes
 * @param file    boot file name field, 128 bytes
 * @param options the options
 */
public record DhcpMessage(int op, int htype, int hlen, int hops, int xid, int secs, int flags,
                          int ciaddr, int yiaddr, int siaddr, int giaddr,
                          byte[] chaddr, byte[] sname, byte[] file, DhcpOptions options) {

    public DhcpMessage {
        if (op != DhcpWire.BOOTREQUEST && op != DhcpWire.BOOTREPLY) {
            throw new IllegalArgumentException("op " + op);
        }
        checkByte("htype", htype);
        checkByte("hops", hops);
        if (hlen < 0 || hlen > DhcpWire.CHADDR_LENGTH) {
            throw new IllegalArgumentException("hlen " + hlen);
        }
        if (secs < 0 || secs > 0xffff || flags < 0 || flags > 0xffff) {
            throw new IllegalArgumentException("secs/flags out of 16 bits");
        }
        chaddr = fixed("chaddr", chaddr, DhcpWire.CHADDR_LENGTH);
        sname = fixed("sname", sname, DhcpWire.SNAME_LENGTH);
        file = fixed("file", file, DhcpWire.FILE_LENGTH);
        Objects.requireNonNull(options, "options");
    }

    private static void checkByte(String name, int v) {
        if (v < 0 || v > 0xff) {
            throw new IllegalArgumentException(name + " " + v);
        }
    }

    private static byte[] fixed(String name, byte[] value, int length) {
        if (value.length > length) {
            throw new IllegalArgumentException(name + " longer than " + length + " bytes");
        }
        return Arrays.copyOf(value, length);
    }

    @Override
    public byte[] chaddr() {
        return chaddr.clone();
    }

    @Override
    public byte[] sname() {
        return sname.clone();
    }

    @Override
    public byte[] file() {
        return file.clone();
    }

    /** The first {@code hlen} bytes of chaddr. */
    public byte[] hardwareAddress() {
        return Arrays.copyOf(chaddr, hlen);
    }

    /** The BROADCAST flag (RFC 2131 §4.1). */
    public boolean broadcast() {
        return (flags & DhcpWire.FLAG_BROADCAST) != 0;
    }

    /** Option 53, always present in a decoded message. */
    public DhcpMessageType type() {
        return options.messageType().orElseThrow(() -> new IllegalStateException("no message type"));
    }

    /** Package access to chaddr without a copy, for the codec. */
    byte[] chaddrRaw() {
        return chaddr;
    }

    byte[] snameRaw() {
        return sname;
    }

    byte[] fileRaw() {
        return file;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DhcpMessage m && op == m.op && htype == m.htype && hlen == m.hlen && hops == m.hops
                && xid == m.xid && secs == m.secs && flags == m.flags && ciaddr == m.ciaddr && yiaddr == m.yiaddr
                && siaddr == m.siaddr && giaddr == m.giaddr && Arrays.equals(chaddr, m.chaddr)
                && Arrays.equals(sname, m.sname) && Arrays.equals(file, m.file) && options.equals(m.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, xid, ciaddr, yiaddr, giaddr, Arrays.hashCode(chaddr), options);
    }

    @Override
    public String toString() {
        return "DhcpMessage[op=" + op + ", xid=" + Integer.toHexString(xid) + ", flags=" + Integer.toHexString(flags)
                + ", ciaddr=" + DhcpText.dotted(ciaddr) + ", yiaddr=" + DhcpText.dotted(yiaddr)
                + ", giaddr=" + DhcpText.dotted(giaddr) + ", chaddr=" + DhcpText.hex(hardwareAddress())
                + ", options=" + options + "]";
    }
}
