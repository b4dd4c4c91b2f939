package io.warren.gateway.tunnel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.warren.tun.udp.UdpSocket;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The plain tunnels' underlay receive loop on a real loopback socket. */
class UnderlayReceiveLoopTest {

    /** A socket that is gone ends the loop (it used to receive again at once, for ever, at 100% CPU). */
    @Test
    void aClosedSocketEndsTheLoopInsteadOfSpinning() throws Exception {
        UdpSocket socket = UdpSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1 << 16, false);
        socket.close();
        UnderlayReceiveLoop loop = new UnderlayReceiveLoop(4, 2048, 64);
        AtomicInteger handled = new AtomicInteger();
        Thread t = new Thread(() -> loop.run(socket, 50, () -> false, new UnderlayReceiveLoop.Handler() {
            @Override
            public void datagram(UnderlayReceiveLoop l, int slot) {
                handled.incrementAndGet();
            }

            @Override
            public void burstDone() {
            }
        }, "test"));
        t.start();
        t.join(5000);
        assertFalse(t.isAlive(), "the loop still runs on a closed socket");
        assertEquals(0, handled.get());
    }

    /** Datagrams reach the handler as views of their bytes, a throwing handler does not end the loop. */
    @Test
    void datagramsAreHandedOverAndAHandlerFailureIsSurvived() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (UdpSocket socket = UdpSocket.bind(new InetSocketAddress(lo, 0), 1 << 16, false);
                DatagramSocket sender = new DatagramSocket(new InetSocketAddress(lo, 0))) {
            UnderlayReceiveLoop loop = new UnderlayReceiveLoop(4, 2048, 64);
            List<String> seen = new CopyOnWriteArrayList<>();
            CountDownLatch one = new CountDownLatch(1);
            CountDownLatch two = new CountDownLatch(2);
            AtomicBoolean stop = new AtomicBoolean();
            Thread t = new Thread(() -> loop.run(socket, 50, stop::get, new UnderlayReceiveLoop.Handler() {
                @Override
                public void datagram(UnderlayReceiveLoop l, int slot) {
                    ByteBuf view = l.view(slot);
                    String text = view.toString(StandardCharsets.US_ASCII);
                    seen.add(text);
                    one.countDown();
                    two.countDown();
                    if (text.equals("bad")) {
                        throw new IllegalStateException("handler failure (expected by the test)");
                    }
                    assertTrue(view.readerIndex() >= 64, "headroom before the datagram");
                }

                @Override
                public void burstDone() {
                }
            }, "test"));
            t.start();
            try {
                InetSocketAddress to = new InetSocketAddress(lo, socket.localPort());
                sender.send(new DatagramPacket("bad".getBytes(StandardCharsets.US_ASCII), 3, to));
                assertTrue(one.await(5, TimeUnit.SECONDS), "first datagram");
                sender.send(new DatagramPacket("good".getBytes(StandardCharsets.US_ASCII), 4, to));
                assertTrue(two.await(5, TimeUnit.SECONDS), "second datagram after a failing handler: " + seen);
                assertArrayEquals(new String[] {"bad", "good"}, seen.toArray(new String[0]));
            } finally {
                stop.set(true);
                t.join(5000);
            }
            assertFalse(t.isAlive());
        }
    }
}
