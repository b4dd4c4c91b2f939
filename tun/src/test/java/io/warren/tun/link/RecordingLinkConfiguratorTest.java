package io.warren.tun.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The fake behaves like the kernel for the errors callers must handle, and records calls. */
class RecordingLinkConfiguratorTest {

    @Test
    void recordsCallsAndSimulatesState() throws Exception {
        RecordingLinkConfigurator fake = new RecordingLinkConfigurator();
        fake.addLink("wt0", 1500);
        fake.setMtu("wt0", 1420);
        fake.setUp("wt0");
        fake.addAddress("wt0", InetAddress.getByName("10.7.0.1"), 24);
        fake.addAddress("wt0", InetAddress.getByName("fd00:7::1"), 64);
        fake.addRoute(InetAddress.getByName("10.8.0.0"), 16, "wt0", 100);
        assertEquals(1420, fake.mtu("wt0"));
        assertTrue(fake.link("wt0").isUp());
        assertEquals(List.of("10.7.0.1/24", "fd00:7:0:0:0:0:0:1/64"), fake.link("wt0").addresses());
        assertEquals(List.of("10.8.0.0/16 dev wt0 metric 100"), fake.routes());
        assertEquals(2, fake.linkIndex("wt0"));
        fake.close();
        assertEquals("close", fake.calls().get(fake.calls().size() - 1));
        assertEquals("setMtu wt0 1420", fake.calls().get(0));
        assertThrows(IllegalStateException.class, () -> fake.setUp("wt0"));
    }

    @Test
    void errorsMatchTheKernelsErrnos() throws Exception {
        RecordingLinkConfigurator fake = new RecordingLinkConfigurator();
        fake.addLink("wt0", 1500);
        LinkConfigException e = assertThrows(LinkConfigException.class, () -> fake.setMtu("wt0", 70000));
        assertEquals("cannot set MTU 70000 on wt0: Invalid argument (EINVAL)", e.getMessage());
        assertEquals("ENODEV", assertThrows(LinkConfigException.class, () -> fake.setUp("wt9")).errnoName());
        InetAddress a = InetAddress.getByName("10.7.0.1");
        fake.addAddress("wt0", a, 24);
        assertEquals("EEXIST", assertThrows(LinkConfigException.class, () -> fake.addAddress("wt0", a, 24)).errnoName());
        fake.removeAddress("wt0", a, 24);
        assertEquals("EADDRNOTAVAIL",
                assertThrows(LinkConfigException.class, () -> fake.removeAddress("wt0", a, 24)).errnoName());
        assertEquals("ESRCH", assertThrows(LinkConfigException.class,
                () -> fake.removeRoute(InetAddress.getByName("10.8.0.0"), 16, "wt0", 1)).errnoName());
        fake.failNext("setUp", 1);
        assertEquals("cannot set wt0 up: Operation not permitted (EPERM)",
                assertThrows(LinkConfigException.class, () -> fake.setUp("wt0")).getMessage());
        fake.setUp("wt0");
        fake.removeLink("wt0");
        assertFalse(fake.link("wt9") != null);
    }

    @Test
    void exceptionNamesUnknownErrnosByNumberAndAppendsKernelText() {
        LinkConfigException e = LinkConfigException.of("cannot set wt0 up", 200, "");
        assertEquals("cannot set wt0 up: errno 200", e.getMessage());
        assertEquals("errno 200", e.errnoName());
        assertEquals("cannot set MTU 9000 on wt0: Invalid argument (EINVAL) [kernel: MTU too big]",
                LinkConfigException.of("cannot set MTU 9000 on wt0", 22, "MTU too big").getMessage());
        assertEquals("errno -1", io.warren.tun.Errno.describe(-1));
    }
}
