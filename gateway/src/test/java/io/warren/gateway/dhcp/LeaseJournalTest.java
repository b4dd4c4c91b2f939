package io.warren.gateway.dhcp;

import static io.warren.gateway.dhcp.Msgs.LAN;
import static io.warren.gateway.dhcp.Msgs.SERVER;
import static io.warren.gateway.dhcp.Msgs.from;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaseJournalTest {

    private static final long SEC = 1_000_000_000L;
    private static final DhcpLease LEASE = new DhcpLease("lan pool", DhcpText.inet(Msgs.ip("10.9.0.101")),
            "02:11:22:33:44:01", Optional.of("01:02:11:22:33:44:01"), Optional.of("host-one"), 77 * SEC, true);

    @TempDir
    Path dir;

    @Test
    void recordLinesRoundTripAndDetectDamage() {
        JournalRecord r = JournalRecord.bound(LEASE, 1_790_000_000_123L);
        String line = r.toLine();
        assertTrue(line.endsWith("\n"));
        assertEquals(Optional.of(r), JournalRecord.parse(line.substring(0, line.length() - 1)));
        assertEquals(LEASE, r.toLease(77 * SEC));
        for (int cut = 0; cut < line.length() - 1; cut++) {
            assertEquals(Optional.empty(), JournalRecord.parse(line.substring(0, cut)), "torn at " + cut);
        }
        assertEquals(Optional.empty(), JournalRecord.parse(line.replace("10.9.0.101", "10.9.0.102").trim()));
        JournalRecord removed = JournalRecord.removed(Msgs.ip("10.9.0.101"));
        assertEquals(Optional.of(removed), JournalRecord.parse(removed.toLine().trim()));
    }

    @Test
    void appendsSyncAndLoadTheLastStatePerAddress() throws IOException {
        try (LeaseJournal j = LeaseJournal.open(dir, 0)) {
            j.append(JournalRecord.bound(LEASE, 1000));
            j.append(JournalRecord.bound(LEASE, 2000)); // renewal
            j.append(JournalRecord.removed(Msgs.ip("10.9.0.101")));
            j.append(JournalRecord.bound(LEASE, 3000));
            j.sync();
        }
        LeaseJournal.Loaded l = LeaseJournal.load(dir);
        assertEquals(1, l.live().size());
        assertEquals(3000, l.live().get(0).expiresMillis());
        assertEquals(4, l.records());
        assertEquals(0, l.damagedLines());
    }

    @Test
    void tornLastLineIsSkippedAndCutBeforeAppending() throws IOException {
        try (LeaseJournal j = LeaseJournal.open(dir, 0)) {
            j.append(JournalRecord.bound(LEASE, 1000));
        }
        String second = JournalRecord.removed(Msgs.ip("10.9.0.101")).toLine();
        Files.writeString(dir.resolve(LeaseJournal.FILE), second.substring(0, 9), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        LeaseJournal.Loaded l = LeaseJournal.load(dir);
        assertEquals(1, l.live().size(), "the torn R record does not count");
        assertEquals(1, l.damagedLines());
        try (LeaseJournal j = LeaseJournal.open(dir, 1)) {
            j.append(JournalRecord.bound(LEASE, 5000));
        }
        LeaseJournal.Loaded again = LeaseJournal.load(dir);
        assertEquals(0, again.damagedLines(), "the torn tail was cut off before appending");
        assertEquals(5000, again.live().get(0).expiresMillis());
    }

    @Test
    void compactionReplacesTheFileWithTheLiveSet() throws IOException {
        try (LeaseJournal j = LeaseJournal.open(dir, 0)) {
            for (int i = 0; i < 5000; i++) {
                j.append(JournalRecord.bound(LEASE, i));
            }
            j.sync();
            assertTrue(j.wantsCompaction(1));
            j.compact(List.of(JournalRecord.bound(LEASE, 9999)));
            assertFalse(j.wantsCompaction(1));
            j.append(JournalRecord.removed(Msgs.ip("10.9.0.200")));
        }
        List<String> lines = Files.readAllLines(dir.resolve(LeaseJournal.FILE));
        assertEquals(2, lines.size());
        assertFalse(Files.exists(dir.resolve(LeaseJournal.FILE + ".tmp")));
        assertEquals(9999, LeaseJournal.load(dir).live().get(0).expiresMillis());
    }

    @Test
    void aClientRenewingAfterARestartKeepsItsAddress() throws IOException {
        DhcpServerCore before = new DhcpServerCore(List.of(Pools.lan(List.of())), DhcpSettings.defaults(), (c, v) -> { });
        long now = 100 * SEC;
        LeaseClock clock = new LeaseClock(now, 1_790_000_000_000L);
        DhcpMessage offer = ((DhcpOutcome.Reply) before.handle(from(4, DhcpMessageType.DHCPDISCOVER).build(), LAN, now)).message();
        DhcpOutcome ack = before.handle(from(4, DhcpMessageType.DHCPREQUEST).serverId(SERVER).requested(offer.yiaddr()).build(), LAN, now);
        try (LeaseJournal j = LeaseJournal.open(dir, 0)) {
            for (LeaseChange c : ack.changes()) {
                DhcpLease l = ((LeaseChange.Bound) c).lease();
                j.append(JournalRecord.bound(l, clock.toWallMillis(l.expiresAt())));
            }
        }
        // restart: a new core on a new monotonic clock origin, 10 minutes of wall time later
        long now2 = 7 * SEC;
        LeaseClock clock2 = new LeaseClock(now2, 1_790_000_600_000L);
        DhcpServerCore after = new DhcpServerCore(List.of(Pools.lan(List.of())), DhcpSettings.defaults(), (c, v) -> { });
        for (JournalRecord r : LeaseJournal.load(dir).live()) {
            assertTrue(after.restore(r.toLease(clock2.toNanos(r.expiresMillis())), now2));
        }
        assertEquals(now2 + 3000 * SEC, after.leases().get(0).expiresAt());
        // another client asking for that address is refused; the owner renews and keeps it
        DhcpMessage other = ((DhcpOutcome.Reply) after.handle(from(5, DhcpMessageType.DHCPDISCOVER).requested(offer.yiaddr()).build(),
                LAN, now2)).message();
        assertTrue(other.yiaddr() != offer.yiaddr());
        DhcpOutcome.Reply renew = assertInstanceOf(DhcpOutcome.Reply.class,
                after.handle(from(4, DhcpMessageType.DHCPREQUEST).ciaddr(offer.yiaddr()).build(), LAN, now2));
        assertEquals(DhcpMessageType.DHCPACK, renew.message().type());
        assertEquals(offer.yiaddr(), renew.message().yiaddr());
        // an expired lease is not restored
        assertFalse(after.restore(after.leases().get(0), now2 + 4000 * SEC));
    }
}
