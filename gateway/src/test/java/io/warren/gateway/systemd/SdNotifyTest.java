package io.warren.gateway.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SdNotifyTest {
    @Test
    void messagesAreNewlineSeparatedAssignments() {
        assertEquals("READY=1\nSTATUS=2 peers up", new String(NotifyMessage.ready("2 peers up").encode(),
                StandardCharsets.UTF_8));
        assertEquals("RELOADING=1\nMONOTONIC_USEC=12345", NotifyMessage.reloading(12345, null).toString()
                .replace(' ', '\n'));
        assertEquals("STOPPING=1", NotifyMessage.stopping("").toString());
    }

    @Test
    void newlinesInValuesCannotInjectAssignments() {
        byte[] msg = NotifyMessage.status("a\nREADY=1").encode();
        assertEquals("STATUS=a READY=1", new String(msg, StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class, () -> NotifyMessage.builder().set("A=B", "1"));
    }

    @Test
    void withoutNotifySocketNothingIsSent() {
        try (SdNotify n = SdNotify.forSocket(null)) {
            assertFalse(n.enabled());
            assertFalse(n.send(NotifyMessage.ready("x")));
        }
        assertFalse(SdNotify.forSocket("relative/path").enabled());
    }

    @Test
    void sendsOneDatagramToThePathSocket(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("notify");
        try (UnixDatagramChannel receiver = UnixDatagramChannel.open()) {
            receiver.bind(new UnixSocketAddress(sock.toString()));
            try (SdNotify n = SdNotify.forSocket(sock.toString())) {
                assertTrue(n.enabled());
                assertTrue(n.send(NotifyMessage.ready("up")));
            }
            ByteBuffer buf = ByteBuffer.allocate(256);
            receiver.receive(buf);
            buf.flip();
            assertEquals("READY=1\nSTATUS=up", StandardCharsets.UTF_8.decode(buf).toString());
        }
        assertTrue(Files.exists(sock));
    }

    @Test
    void aMissingSocketIsNotAnError(@TempDir Path dir) {
        try (SdNotify n = SdNotify.forSocket(dir.resolve("absent").toString())) {
            assertFalse(n.send(NotifyMessage.stopping("bye")));
        }
    }
}
