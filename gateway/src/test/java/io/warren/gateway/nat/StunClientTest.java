package io.warren.gateway.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sans-I/O client with a fake clock: §6.2.1 schedule, transaction matching, mapping behaviour. */
class StunClientTest {
    private static final long MS = 1_000_000L;
    private static final InetSocketAddress S1 = new InetSocketAddress("192.0.2.10", 3478);
    private static final InetSocketAddress S2 = new InetSocketAddress("192.0.2.11", 3479);
    private static final InetSocketAddress MAPPED = new InetSocketAddress("198.51.100.7", 51820);

    private final StunCounters counters = new StunCounters();
    private final StunClient client = new StunClient(new Random(1), counters);

    private static TransactionId idOf(StunClient.Outgoing o) {
        return TransactionId.read(o.datagram(), 8);
    }

    @Test
    void retransmitsAtRtoDoublingAndGivesUpAfterRmRtos() {
        long t0 = 1_000 * MS;
        client.start(List.of(S1), t0);
        List<Long> sentAt = new ArrayList<>();
        TransactionId first = null;
        for (long t = t0; t <= t0 + 45_000 * MS; t += 10 * MS) {
            for (StunClient.Outgoing o : client.poll(t)) {
                assertEquals(S1, o.to());
                if (first == null) {
                    first = idOf(o);
                }
                assertEquals(first, idOf(o), "retransmissions keep the transaction id");
                sentAt.add((t - t0) / MS);
            }
            if (client.inFlight() == 0) {
                assertEquals(39_500, (t - t0) / MS, "gave up Rm*RTO after the last request");
                break;
            }
        }
        assertEquals(List.of(0L, 500L, 1_500L, 3_500L, 7_500L, 15_500L, 31_500L), sentAt);
        assertEquals(7, counters.requests());
        assertEquals(0, client.inFlight());
    }

    @Test
    void matchingResponseMapsAndEverythingElseIsCounted() {
        client.start(List.of(S1), 0);
        StunClient.Outgoing req = client.poll(0).get(0);
        TransactionId id = idOf(req);

        TransactionId wrong = new TransactionId(id.high() ^ 1, id.low());
        assertEquals(new StunClient.Ignored(StunDropReason.UNKNOWN_TRANSACTION),
                client.receive(StunCodec.bindingResponse(wrong, MAPPED), S1));
        assertEquals(new StunClient.Ignored(StunDropReason.WRONG_SOURCE),
                client.receive(StunCodec.bindingResponse(id, MAPPED), S2));
        assertEquals(new StunClient.Ignored(StunDropReason.UNEXPECTED_TYPE),
                client.receive(StunCodec.bindingRequest(id), S1));

        StunClient.Received ok = client.receive(StunCodec.bindingResponse(id, MAPPED), S1);
        assertEquals(new StunClient.Mapped(S1, MAPPED), ok);
        assertEquals(MAPPED, client.reflexive().orElseThrow());
        assertEquals(0, client.inFlight());
        assertTrue(client.poll(10_000 * MS).isEmpty(), "an answered transaction is not retransmitted");

        assertEquals(new StunClient.Ignored(StunDropReason.UNKNOWN_TRANSACTION),
                client.receive(StunCodec.bindingResponse(id, MAPPED), S1), "a duplicate answer is late");
        assertEquals(2, counters.dropped(StunDropReason.UNKNOWN_TRANSACTION));
        assertEquals(1, counters.dropped(StunDropReason.WRONG_SOURCE));
        assertEquals(1, counters.responses());
    }

    @Test
    void errorResponseEndsTheTransactionWithoutAMapping() {
        client.start(List.of(S1), 0);
        TransactionId id = idOf(client.poll(0).get(0));
        ByteBuffer error = StunCodec.bindingResponse(id, MAPPED);
        error.putShort(0, (short) StunWire.BINDING_ERROR_RESPONSE);
        // the fingerprint no longer matches the changed type: an error response must carry a valid one
        ByteBuffer fixed = ByteBuffer.allocate(20).putShort((short) StunWire.BINDING_ERROR_RESPONSE).putShort((short) 0)
                .putInt(StunWire.MAGIC_COOKIE).putInt(id.high()).putLong(id.low()).flip();
        assertInstanceOf(StunClient.Ignored.class, client.receive(error, S1));
        assertEquals(new StunClient.Ignored(StunDropReason.ERROR_RESPONSE), client.receive(fixed, S1));
        assertEquals(0, client.inFlight());
        assertTrue(client.reflexive().isEmpty());
    }

    @Test
    void mappingBehaviourComparesTwoServers() {
        assertEquals(MappingBehaviour.UNKNOWN, client.behaviour());
        answerRound(MAPPED, MAPPED);
        assertEquals(MappingBehaviour.ENDPOINT_INDEPENDENT, client.behaviour());
        answerRound(MAPPED, new InetSocketAddress("198.51.100.7", 40001));
        assertEquals(MappingBehaviour.ENDPOINT_DEPENDENT, client.behaviour());
    }

    @Test
    void oneAnsweringServerIsUnknownAndASilentServerIsForgotten() {
        client.start(List.of(S1, S2), 0);
        for (StunClient.Outgoing o : client.poll(0)) {
            if (o.to().equals(S1)) {
                client.receive(StunCodec.bindingResponse(idOf(o), MAPPED), S1);
            }
        }
        assertEquals(MappingBehaviour.UNKNOWN, client.behaviour());
        for (long t = 0; t <= 40_000 * MS; t += 100 * MS) {
            client.poll(t);
        }
        assertEquals(0, client.inFlight());
        assertEquals(1, client.answers().size());
    }

    private void answerRound(InetSocketAddress seenBy1, InetSocketAddress seenBy2) {
        client.start(List.of(S1, S2), 0);
        for (StunClient.Outgoing o : client.poll(0)) {
            InetSocketAddress seen = o.to().equals(S1) ? seenBy1 : seenBy2;
            assertInstanceOf(StunClient.Mapped.class, client.receive(StunCodec.bindingResponse(idOf(o), seen), o.to()));
        }
    }
}
