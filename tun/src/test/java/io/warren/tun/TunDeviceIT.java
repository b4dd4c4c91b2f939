package io.warren.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.testlab.LabException;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import io.warren.testlab.Wait;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Lifecycle, blocking, write path, truncation and error reporting of real TUN devices in a namespace. */
class TunDeviceIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private static final int SYS_POLL = 7;

    private Netns ns(String name) {
        lab.requireRoot();
        lab.requireTools("ip");
        return lab.netns(name);
    }

    private static TunOptions tun(String name) {
        return TunOptions.builder().name(name).build();
    }

    @Test
    void closeWakesAReaderBlockedInPoll() throws Exception {
        Netns ns = ns("tdw");
        LinuxTunDevice dev = ns.call(() -> LinuxTun.open(tun("wt%d")));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                dev.read(ByteBuffer.allocateDirect(2048));
            } catch (IOException e) {
                thrown.set(e);
            }
        }, "tunrd-wake");
        reader.start();
        Wait.until(Duration.ofSeconds(10), "reader thread blocked in poll(2)",
                () -> nativeThreadInSyscall("tunrd-wake", SYS_POLL));
        dev.close();
        reader.join(5000);
        assertTrue(!reader.isAlive(), "close() did not wake the reader");
        assertInstanceOf(AsynchronousCloseException.class, thrown.get());
        assertThrows(ClosedChannelException.class, () -> dev.read(ByteBuffer.allocateDirect(16)));
        dev.close(); // idempotent
    }

    @Test
    void nonBlockingReadReturnsZeroAndMtuFollowsTheLink() throws Exception {
        Netns ns = ns("tdm");
        try (LinuxTunDevice dev = ns.call(() -> LinuxTun.open(TunOptions.builder().name("wm%d").nonBlocking(true).build()))) {
            assertEquals(0, dev.read(ByteBuffer.allocateDirect(2048)));
            assertEquals(1500, dev.mtu());
            ns.exec("ip", "link", "set", "dev", dev.name(), "mtu", "1380");
            // Called from the test thread (host namespace): the control socket lives in the device's.
            assertEquals(1380, dev.mtu());
        }
    }

    @Test
    void templateNamesResolveToDistinctDevices() throws Exception {
        Netns ns = ns("tdn");
        try (LinuxTunDevice a = ns.call(() -> LinuxTun.open(tun("wn%d")));
                LinuxTunDevice b = ns.call(() -> LinuxTun.open(tun("wn%d")))) {
            assertTrue(a.name().matches("wn\\d+"), a.name());
            assertNotEquals(a.name(), b.name());
        }
    }

    @Test
    void writtenPacketReachesAKernelSocket() throws Exception {
        Netns ns = ns("tdu");
        try (LinuxTunDevice dev = ns.call(() -> LinuxTun.open(tun("wu0")));
                DatagramChannel socket = ns.call(DatagramChannel::open)) {
            ns.addr("wu0", "10.9.4.1/24");
            ns.up("wu0");
            socket.bind(new InetSocketAddress("10.9.4.1", 5555));
            ByteBuffer packet = ByteBuffer.allocateDirect(128);
            packet.position(16); // headroom before the packet must not be written
            packet.put(HexFormat.of().parseHex("4500002000074000401100000a0904020a090401"
                    + "04d715b3000c0000" + "77617272"));
            packet.limit(packet.position()).position(16);
            packet.putShort(16 + 10, (short) Checksums.internet(packet, 16, 20, 0));
            packet.putShort(16 + 26, (short) Checksums.udpIpv4(packet, 16, 20));
            dev.write(packet);
            assertEquals(packet.limit(), packet.position());
            ByteBuffer got = ByteBuffer.allocate(64);
            socket.configureBlocking(true);
            InetSocketAddress from = (InetSocketAddress) socket.receive(got);
            assertEquals(new InetSocketAddress("10.9.4.2", 1239), from);
            assertArrayEquals("warr".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    java.util.Arrays.copyOf(got.array(), got.position()));
        }
    }

    @Test
    void malformedWriteIsACountedDropNotAnException() throws Exception {
        Netns ns = ns("tdx");
        try (LinuxTunDevice dev = ns.call(() -> LinuxTun.open(
                TunOptions.builder().name("wx0").vnetHdr(true).offloads(IfTun.TUN_F_CSUM).build()))) {
            ns.up("wx0");
            // A vnet header promising a checksum at an offset far past the packet: EINVAL.
            ByteBuffer forged = ByteBuffer.allocateDirect(40);
            new VirtioNetHeader(VirtioNetHeader.F_NEEDS_CSUM, 0, 0, 0, 0x7000, 0x10).encode(forged);
            forged.put(HexFormat.of().parseHex("4500001c00014000401100000a0904020a090401"));
            dev.write(forged.flip());
            assertEquals(1, dev.dropped(TunDrop.WRITE_MALFORMED));
        }
    }

    @Test
    void oversizedPacketIsCountedAsTruncatedAndTheNextOneIsRead() throws Exception {
        Netns ns = ns("tdt");
        ns.sysctl("net.ipv6.conf.all.disable_ipv6", "1");
        try (LinuxTunDevice dev = ns.call(() -> LinuxTun.open(TunOptions.builder().name("wt0").nonBlocking(true).build()));
                DatagramChannel socket = ns.call(DatagramChannel::open)) {
            ns.addr("wt0", "10.9.5.1/24");
            ns.up("wt0");
            InetSocketAddress peer = new InetSocketAddress("10.9.5.2", 7);
            socket.send(ByteBuffer.allocate(1000), peer);
            socket.send(ByteBuffer.allocate(50), peer);
            ByteBuffer dst = ByteBuffer.allocateDirect(200);
            Wait.until(Duration.ofSeconds(5), "the small datagram read", () -> readQuietly(dev, dst) > 0);
            assertEquals(78, dst.position(), "20 IP + 8 UDP + 50 payload");
            assertEquals(1, dev.dropped(TunDrop.READ_TRUNCATED));
        }
    }

    @Test
    void nameTakenByTheOtherModeGivesNamedErrnoAndLeaksNoFd() throws Exception {
        Netns ns = ns("tde");
        try (LinuxTunDevice warm = ns.call(() -> LinuxTun.open(tun("we0")))) {
            assertEquals("we0", warm.name());
            ns.call(() -> LinuxTun.open(tun("we1"))).close(); // load everything before counting fds
            long before = openFds();
            TunException tap = openFails(ns, TunOptions.builder().name("we0").mode(TunMode.TAP).build());
            assertEquals(Errno.EINVAL, tap.errnoName());
            assertTrue(tap.getMessage().startsWith("cannot create TAP device we0: Invalid argument (EINVAL)"),
                    tap.getMessage());
            TunException busy = openFails(ns, tun("we0"));
            assertEquals(Errno.EBUSY, busy.errnoName());
            assertTrue(busy.getMessage().contains("we0") && busy.getMessage().contains("(EBUSY)"), busy.getMessage());
            TunException mq = openFails(ns, TunOptions.builder().name("we0").multiQueue(3).build());
            assertTrue(mq.getMessage().contains("queue 0 of 3"), mq.getMessage());
            for (int i = 0; i < 10; i++) {
                openFails(ns, tun("we0"));
                ns.call(() -> LinuxTun.openMultiQueue(TunOptions.builder().name("wq0").multiQueue(2).build())).close();
            }
            assertEquals(before, openFds(), "open fds after failed and closed opens");
        }
    }

    /** Opens in {@code ns}, expecting failure; returns the TunException (Netns.call wraps it). */
    private static TunException openFails(Netns ns, TunOptions options) {
        LabException e = assertThrows(LabException.class, () -> ns.call(() -> options.multiQueue()
                ? LinuxTun.openMultiQueue(options) : LinuxTun.open(options)));
        return assertInstanceOf(TunException.class, e.getCause());
    }

    private static int readQuietly(TunDevice dev, ByteBuffer dst) {
        try {
            return dev.read(dst);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** True if the native thread named {@code comm} is blocked in system call {@code nr}. */
    private static boolean nativeThreadInSyscall(String comm, int nr) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.anyMatch(task -> {
                try {
                    return Files.readString(task.resolve("comm")).trim().equals(comm)
                            && Files.readString(task.resolve("syscall")).startsWith(nr + " ");
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            return false;
        }
    }
}
