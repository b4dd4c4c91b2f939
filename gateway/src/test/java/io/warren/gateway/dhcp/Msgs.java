package io.warren.gateway.dhcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/** Builders of client messages for the tests. */
final class Msgs {

    static final int SERVER = DhcpText.parseDotted("10.9.0.1").orElseThrow();
    static final DhcpIngress LAN = new DhcpIngress("lan0", SERVER);

    private Msgs() {
    }

    static int ip(String dotted) {
        return DhcpText.parseDotted(dotted).orElseThrow();
    }

    static byte[] mac(int last) {
        return new byte[] {0x02, 0x11, 0x22, 0x33, 0x44, (byte) last};
    }

    /** A request of {@code type} from the client with MAC ending {@code last}, xid {@code 0x1000 + last}. */
    static Builder from(int last, DhcpMessageType type) {
        return new Builder(mac(last), type).xid(0x1000 + last);
    }

    static ByteBuf encode(DhcpMessage m) {
        ByteBuf b = Unpooled.buffer();
        DhcpCodec.encode(m, 1500, b);
        return b;
    }

    static final class Builder {
        private final byte[] chaddr;
        private final DhcpOptions.Builder options = DhcpOptions.builder();
        private int xid;
        private int flags;
        private int ciaddr;
        private int giaddr;

        Builder(byte[] chaddr, DhcpMessageType type) {
            this.chaddr = chaddr;
            options.messageType(type);
        }

        Builder xid(int v) {
            xid = v;
            return this;
        }

        Builder broadcast() {
            flags = DhcpWire.FLAG_BROADCAST;
            return this;
        }

        Builder ciaddr(int v) {
            ciaddr = v;
            return this;
        }

        Builder giaddr(int v) {
            giaddr = v;
            return this;
        }

        Builder requested(int a) {
            options.addInt(DhcpWire.OPT_REQUESTED_ADDRESS, a);
            return this;
        }

        Builder serverId(int a) {
            options.addInt(DhcpWire.OPT_SERVER_ID, a);
            return this;
        }

        Builder clientId(byte[] id) {
            options.add(DhcpWire.OPT_CLIENT_ID, id);
            return this;
        }

        Builder hostName(String n) {
            options.add(DhcpWire.OPT_HOST_NAME, n.getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Builder prl(int... codes) {
            byte[] b = new byte[codes.length];
            for (int i = 0; i < codes.length; i++) {
                b[i] = (byte) codes[i];
            }
            options.add(DhcpWire.OPT_PARAMETER_REQUEST_LIST, b);
            return this;
        }

        Builder option(int code, byte[] value) {
            options.add(code, value);
            return this;
        }

        DhcpMessage build() {
            return new DhcpMessage(DhcpWire.BOOTREQUEST, 1, 6, giaddr != 0 ? 1 : 0, xid, 3, flags, ciaddr, 0, 0, giaddr,
                    chaddr, new byte[0], new byte[0], options.build());
        }
    }
}
