package io.warren.gateway.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** A UDP upstream on loopback answering every query with one A record ({@code address}, {@code ttl}). */
final class FakeUpstream implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread thread;
    private final InetAddress answer;
    private final long ttl;
    private final long delayMillis;

    FakeUpstream(String answer, long ttl) throws IOException {
        this(answer, ttl, 0);
    }

    /** @param delayMillis how long each answer waits before it is sent */
    FakeUpstream(String answer, long ttl, long delayMillis) throws IOException {
        this.delayMillis = delayMillis;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.answer = DnsFixtures.ip(answer);
        this.ttl = ttl;
        this.thread = new Thread(this::answerForever, "fake-upstream");
        thread.setDaemon(true);
        thread.start();
    }

    /** @return where it listens */
    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void answerForever() {
        byte[] buf = new byte[1500];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                byte[] q = Arrays.copyOf(p.getData(), p.getLength());
                Record question = DnsFixtures.parse(q).getQuestion();
                Message m = DnsFixtures.response(q, Rcode.NOERROR, question.getType() == Type.TXT
                        ? oversizedTxt(question) : new Record[] {new ARecord(question.getName(), DClass.IN, ttl, answer)},
                        new Record[0]);
                byte[] a = m.toWire();
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                socket.send(new DatagramPacket(a, a.length, p.getSocketAddress()));
            } catch (SocketException | InterruptedException closed) {
                return;
            } catch (IOException e) {
                throw new IllegalStateException("fake upstream failed", e);
            }
        }
    }

    /** About 6 KB of TXT records: more than any EDNS size it was asked for (a broken upstream). */
    private Record[] oversizedTxt(Record question) {
        Record[] txt = new Record[30];
        for (int i = 0; i < txt.length; i++) {
            txt[i] = new TXTRecord(question.getName(), DClass.IN, ttl, "o".repeat(200));
        }
        return txt;
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(5000);
    }
}
