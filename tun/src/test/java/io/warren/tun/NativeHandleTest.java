package io.warren.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NativeHandleTest {
    private final List<String> events = new ArrayList<>();
    private final NativeHandle handle = new NativeHandle(() -> events.add("closed"));

    @Test
    void closeWithoutUsersWakesThenClosesOnce() {
        handle.close(() -> events.add("wake"));
        handle.close(() -> events.add("wake again"));
        assertEquals(List.of("wake", "closed"), events);
        assertTrue(handle.isClosed());
    }

    @Test
    void descriptorsOutliveTheLastInFlightCall() throws ClosedChannelException {
        handle.acquire();
        handle.acquire();
        handle.close(() -> events.add("wake"));
        assertEquals(List.of("wake"), events);
        handle.release();
        assertEquals(List.of("wake"), events);
        handle.release();
        assertEquals(List.of("wake", "closed"), events);
    }

    @Test
    void acquireAfterCloseThrows() {
        handle.close(() -> { });
        assertThrows(ClosedChannelException.class, handle::acquire);
        assertEquals(List.of("closed"), events);
    }

    @Test
    void openHandleIsNotClosed() throws ClosedChannelException {
        handle.acquire();
        handle.release();
        assertFalse(handle.isClosed());
        assertTrue(events.isEmpty());
    }
}
