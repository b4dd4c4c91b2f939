package io.warren.gateway.uapi;

import static io.warren.gateway.uapi.UapiFixtures.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutated and random input: the session never throws, never answers anything but errno trailers and
 * get bodies, and the device changes only when the reply says {@code errno=0}.
 */
class UapiSessionFuzzTest {
    private static final String VALID = "set=1\nprivate_key=" + hex(0x60) + "\nlisten_port=12912\nfwmark=7\n"
            + "replace_peers=true\npublic_key=" + hex(0x70) + "\npreshared_key=" + hex(0x71) + "\n"
            + "endpoint=[fd00::1]:51820\npersistent_keepalive_interval=17\nreplace_allowed_ips=true\n"
            + "allowed_ip=10.7.0.9/16\nallowed_ip=fd00:7::1/128\nprotocol_version=1\n\nget=1\n\n";

    @Test
    void mutatedRequestsNeverThrowAndNeverHalfApply() {
        Random random = new Random(0x5eed);
        byte[] valid = VALID.getBytes(StandardCharsets.US_ASCII);
        for (int round = 0; round < 1500; round++) {
            byte[] input = mutate(valid, random);
            FakeUapiDevice device = new FakeUapiDevice(UapiFixtures.populated());
            UapiSession session = new UapiSession(device, new UapiLimits(256, 2048));
            StringBuilder reply = new StringBuilder();
            int pos = 0;
            while (pos < input.length) {
                int n = 1 + random.nextInt(Math.min(64, input.length - pos));
                reply.append(ascii(session.receive(ByteBuffer.wrap(input, pos, n)).reply()));
                pos += n;
            }
            reply.append(ascii(session.endOfInput().reply()));
            boolean applied = !device.appliedChanges().isEmpty();
            boolean firstReplyOk = reply.toString().startsWith("errno=0\n\n");
            if (applied) {
                assertTrue(firstReplyOk, "a change was applied but not acknowledged: " + reply);
            } else {
                assertEquals(UapiFixtures.populated(), device.state(), "nothing applied, nothing changed");
            }
            for (String line : reply.toString().split("\n")) {
                assertTrue(line.isEmpty() || line.matches("[a-z_]+=\\S+"), () -> "odd reply line: " + line);
            }
        }
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(42);
        for (int round = 0; round < 500; round++) {
            byte[] junk = new byte[random.nextInt(3000)];
            random.nextBytes(junk);
            if (random.nextBoolean() && junk.length > 6) {
                System.arraycopy("set=1\n".getBytes(StandardCharsets.US_ASCII), 0, junk, 0, 6);
            }
            FakeUapiDevice device = new FakeUapiDevice(UapiFixtures.populated());
            UapiSession session = new UapiSession(device, new UapiLimits(256, 2048));
            session.receive(ByteBuffer.wrap(junk));
            session.endOfInput();
            assertEquals(UapiFixtures.populated(), device.state());
        }
    }

    private static byte[] mutate(byte[] valid, Random random) {
        byte[] out = valid.clone();
        switch (random.nextInt(4)) {
            case 0 -> out[random.nextInt(out.length)] = (byte) random.nextInt(256);
            case 1 -> out = Arrays.copyOf(out, random.nextInt(out.length));
            case 2 -> {
                int at = random.nextInt(out.length);
                out[at] = (byte) "=\n:/[]0f-".charAt(random.nextInt(9));
            }
            default -> {
                for (int i = 0; i < 5; i++) {
                    out[random.nextInt(out.length)] = (byte) random.nextInt(128);
                }
            }
        }
        return out;
    }

    private static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
