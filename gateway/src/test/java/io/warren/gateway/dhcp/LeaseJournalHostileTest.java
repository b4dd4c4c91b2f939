package io.warren.gateway.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged, hostile and huge lease journals: valid leases around the damage survive, start-up never fails. */
class LeaseJournalHostileTest {

    private static final long SEC = 1_000_000_000L;

    @TempDir
    Path dir;

    private static DhcpLease lease(int last, String name) {
        return new DhcpLease("lan", DhcpText.inet(Msgs.ip("10.9.0." + (100 + last))), DhcpText.hex(Msgs.mac(last)),
                Optional.empty(), Optional.ofNullable(name), 0, false);
    }

    private static String line(int last, long expires) {
        return JournalRecord.bound(lease(last, "h" + last), expires).toLine();
    }

    private Path file() {
        return dir.resolve(LeaseJournal.FILE);
    }

    private void write(byte[]... parts) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        Files.write(file(), o.toByteArray());
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Integer> addresses(LeaseJournal.Loaded l) {
        return l.live().stream().map(JournalRecord::address).sorted().toList();
    }

    /** A line with a correct CRC around {@code body}: damage the CRC cannot see. */
    private static String signed(String body) {
        CRC32 c = new CRC32();
        c.update(body.getBytes(StandardCharsets.UTF_8));
        return body + " " + String.format("%08x", c.getValue()) + "\n";
    }

    @Test
    void garbageBetweenRecordsCostsOnlyTheDamagedLines() throws IOException {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int run = 0; run < 200; run++) {
            byte[] junk = new byte[rnd.nextInt(300)];
            for (int i = 0; i < junk.length; i++) {
                junk[i] = (byte) rnd.nextInt(256);
            }
            write(b(line(1, 1000)), junk, b("\n"), b(line(2, 1000)), junk, b("\n" + line(3, 1000)));
            LeaseJournal.Loaded l = LeaseJournal.load(dir);
            assertTrue(addresses(l).containsAll(List.of(Msgs.ip("10.9.0.101"), Msgs.ip("10.9.0.103"))), "run " + run);
        }
    }

    @Test
    void aRecordTornAtAnyByteLeavesTheEarlierOnesAndAppendingHeals() throws IOException {
        String last = line(2, 2000);
        for (int cut = 0; cut < last.length(); cut++) {
            write(b(line(1, 1000)), b(last.substring(0, cut)));
            boolean onlyNewlineLost = cut == last.length() - 1;
            LeaseJournal.Loaded l = LeaseJournal.load(dir);
            assertEquals(onlyNewlineLost ? List.of(Msgs.ip("10.9.0.101"), Msgs.ip("10.9.0.102")) : List.of(Msgs.ip("10.9.0.101")),
                    addresses(l), "cut " + cut);
            try (LeaseJournal j = LeaseJournal.open(dir, l.records())) {
                j.append(JournalRecord.bound(lease(3, null), 3000));
            }
            LeaseJournal.Loaded healed = LeaseJournal.load(dir);
            assertEquals(0, healed.damagedLines(), "cut " + cut);
            // a record that loaded (and was restored) stays in the file
            assertEquals(onlyNewlineLost ? 3 : 2, healed.live().size(), "cut " + cut);
        }
    }

    @Test
    void zeroFilledTailAfterPowerLossIsCutBeforeAppending() throws IOException {
        write(b(line(1, 1000)), new byte[8192]); // ext4 may leave the grown size with zero bytes
        assertEquals(1, LeaseJournal.load(dir).live().size());
        try (LeaseJournal j = LeaseJournal.open(dir, 1)) {
            j.append(JournalRecord.bound(lease(2, null), 1000));
        }
        LeaseJournal.Loaded l = LeaseJournal.load(dir);
        assertEquals(2, l.live().size());
        assertEquals(0, l.damagedLines());
    }

    @Test
    void recordsWithAValidCrcButImpossibleFieldsAreDamagedNotRestored() throws IOException {
        String ok = line(1, 1000);
        String[] bad = {
            signed("B lan 10.9.0.300 1000 02:11:22:33:44:05 - - 0"),
            signed("B lan 10.9.0.105 1000 zz - - 0"), // MAC not hex
            signed("B lan 10.9.0.105 1000 " + "00:".repeat(16) + "00 - - 0"), // 17 bytes: longer than chaddr
            signed("B lan 10.9.0.105 1000 02:11:22:33:44:05 01 - 0"), // client-id of 1 byte (RFC 2132 §9.14)
            signed("B lan 10.9.0.105 1000 02:11:22:33:44:05 - - 7"), // static neither 0 nor 1
            signed("B lan 10.9.0.105 x 02:11:22:33:44:05 - - 0"),
            signed("B lan 10.9.0.105 1000 02:11:22:33:44:05 - - 0 extra"),
            signed("R 10.9.0.105 extra"),
            signed("Q 10.9.0.105"),
            signed("B lan 10.9.0.105 1000 02:11:22:33:44:05 - %zz 0"), // bad escape
        };
        for (String line : bad) {
            write(b(ok), b(line), b(line(2, 1000)));
            LeaseJournal.Loaded l = LeaseJournal.load(dir);
            assertEquals(List.of(Msgs.ip("10.9.0.101"), Msgs.ip("10.9.0.102")), addresses(l), line);
            assertEquals(1, l.damagedLines(), line);
        }
    }

    @Test
    void aHostNameThatIsNoHostLabelIsDroppedButTheLeaseKept() throws IOException {
        for (String name : new String[] {"evil.example.", "a b", "x\u0000y", "localhost.", "-x"}) {
            String enc = java.net.URLEncoder.encode(name, StandardCharsets.UTF_8);
            write(b(signed("B lan 10.9.0.105 1000 02:11:22:33:44:05 - " + enc + " 0")));
            LeaseJournal.Loaded l = LeaseJournal.load(dir);
            assertEquals(1, l.live().size(), name);
            assertEquals(Optional.empty(), l.live().get(0).hostName(), name);
        }
    }

    @Test
    void duplicatesAndMovesResolveToTheLastRecord() throws IOException {
        DhcpLease at1 = lease(1, "x");
        DhcpLease sameClientAt2 = new DhcpLease("lan", DhcpText.inet(Msgs.ip("10.9.0.102")), at1.hardwareAddress(),
                Optional.empty(), Optional.of("x"), 0, false);
        long wall = 1_790_000_000_000L;
        write(b(JournalRecord.bound(at1, wall + 100_000).toLine()), b(JournalRecord.bound(at1, wall + 100_000).toLine()),
                b(JournalRecord.bound(sameClientAt2, wall + 200_000).toLine()));
        LeaseJournal.Loaded l = LeaseJournal.load(dir);
        DhcpServerCore core = new DhcpServerCore(List.of(Pools.lan(List.of())), DhcpSettings.defaults(), (c, v) -> { });
        LeaseClock clock = new LeaseClock(50 * SEC, wall);
        for (JournalRecord r : l.live()) {
            core.restore(r.toLease(clock.toNanos(r.expiresMillis())), 50 * SEC);
        }
        assertEquals(1, core.leases().size(), "one client, one lease");
        assertEquals(Msgs.ip("10.9.0.102"), DhcpText.ipv4(core.leases().get(0).address()));
    }

    @Test
    void emptyAndUnreadableJournalsDoNotStopStartUp() throws IOException {
        Files.write(file(), new byte[0]);
        assertEquals(0, LeaseJournal.load(dir).live().size());
        Files.delete(file());
        Files.createDirectory(file()); // not a file at all
        LeaseJournal.Loaded l = LeaseJournal.load(dir);
        assertEquals(0, l.live().size());
        assertTrue(l.setAside().isPresent(), "the unreadable journal is kept aside, not deleted");
        assertTrue(Files.isDirectory(l.setAside().get()));
        try (LeaseJournal j = LeaseJournal.open(dir, 0)) {
            j.append(JournalRecord.bound(lease(1, null), 1000));
        }
        assertEquals(1, LeaseJournal.load(dir).live().size());
    }

    @Test
    void aHugeJournalIsReadInBoundedMemoryAndItsTornTailCutQuickly() throws IOException {
        // 2.1 GB of zeros (sparse) between two records: more than one Java array can hold
        long hole = Integer.MAX_VALUE + 64L;
        write(b(line(1, 1000)));
        try (RandomAccessFile f = new RandomAccessFile(file().toFile(), "rw")) {
            f.setLength(f.length() + hole);
            f.seek(f.length());
            f.write(b("\n" + line(2, 1000)));
        }
        LeaseJournal.Loaded l = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> LeaseJournal.load(dir));
        assertEquals(List.of(Msgs.ip("10.9.0.101"), Msgs.ip("10.9.0.102")), addresses(l));
        assertEquals(1, l.damagedLines());
        Files.delete(file());
        // a 64 MB torn tail without a newline is cut without a system call per byte
        write(b(line(1, 1000)));
        try (RandomAccessFile f = new RandomAccessFile(file().toFile(), "rw")) {
            f.setLength(f.length() + (64 << 20));
        }
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> LeaseJournal.open(dir, 1).close());
        assertEquals(line(1, 1000).length(), Files.size(file()));
    }

    @Test
    void restoredExpiriesAreCappedByThePoolsLeaseTime() {
        // the wall clock went back a year between runs (no RTC): the journal's expiry is a year away
        DhcpServerCore core = new DhcpServerCore(List.of(Pools.lan(List.of())), DhcpSettings.defaults(), (c, v) -> { });
        long now = 10 * SEC;
        LeaseClock clock = new LeaseClock(now, 1_000_000_000_000L);
        JournalRecord r = JournalRecord.bound(lease(1, null), 1_000_000_000_000L + 365L * 86_400_000L);
        assertTrue(core.restore(r.toLease(clock.toNanos(r.expiresMillis())), now));
        assertTrue(core.leases().get(0).expiresAt() - now <= 3600 * SEC, "at most the pool's 1 h lease");
        // expiries at the ends of the long range do not overflow into the past or the far future
        assertTrue(clock.toNanos(Long.MAX_VALUE) - now > 0);
        assertTrue(clock.toNanos(Long.MIN_VALUE) - now < 0);
        JournalRecord past = JournalRecord.bound(lease(2, null), Long.MIN_VALUE);
        assertFalse(core.restore(past.toLease(clock.toNanos(past.expiresMillis())), now));
    }

    @Test
    void appendedRecordsAreDurableLinesAndCompactionLeavesNoTemporaryFile() throws IOException {
        try (LeaseJournal j = LeaseJournal.open(dir, 0)) {
            j.append(JournalRecord.bound(lease(1, "a b\nc"), 1000)); // a newline in a name cannot split the line
            j.sync();
            j.compact(List.of(JournalRecord.bound(lease(2, null), 2000)));
        }
        assertEquals(1, Files.readAllLines(file()).size());
        assertFalse(Files.exists(dir.resolve(LeaseJournal.FILE + ".tmp")));
        Files.writeString(dir.resolve(LeaseJournal.FILE + ".tmp"), "left over from a crash", StandardOpenOption.CREATE);
        try (LeaseJournal j = LeaseJournal.open(dir, 1)) {
            j.compact(List.of());
        }
        assertEquals(0, LeaseJournal.load(dir).live().size());
    }

    @Test
    void aFullDiskLeavesNoHalfLineAndTheRecordsAreWrittenLater() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs mount");
        Path mnt = Files.createDirectory(dir.resolve("small"));
        assertEquals(0, new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "hostiledhcp-test", mnt.toString())
                .inheritIO().start().waitFor());
        try {
            Path filler = mnt.resolve("filler");
            Files.write(filler, new byte[48 << 10]);
            int written = 0;
            boolean full = false;
            try (LeaseJournal j = LeaseJournal.open(mnt, 0)) {
                for (int i = 0; i < 2000 && !full; i++) {
                    j.append(JournalRecord.bound(lease(i % 150, "host" + i), 1000 + i));
                    written++;
                    try {
                        j.sync();
                    } catch (IOException e) {
                        full = true;
                    }
                }
                assertTrue(full, "the disk filled up");
                LeaseJournal.Loaded l = LeaseJournal.load(mnt);
                assertEquals(0, l.damagedLines(), "no half line left behind");
                Files.delete(filler);
                j.append(JournalRecord.bound(lease(151, null), 5));
                written++;
                j.sync(); // the failed batch is written now, then the new one
            }
            LeaseJournal.Loaded l = LeaseJournal.load(mnt);
            assertEquals(0, l.damagedLines());
            assertEquals(written, l.records(), "no record lost");
        } finally {
            new ProcessBuilder("umount", mnt.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void aRestoredLeaseOnAnAddressNowReservedForAnotherHostIsDropped() {
        // the admin added a [[host]] for 10.9.0.101 while another client held it
        DhcpServerCore core = new DhcpServerCore(List.of(Pools.lan(List.of(
                Pools.hostByMac("02:11:22:33:44:63", "10.9.0.101", "printer"),
                Pools.hostByMac("02:11:22:33:44:02", "10.9.0.102", "mine")))), DhcpSettings.defaults(), (c, v) -> { });
        long now = 10 * SEC;
        assertFalse(core.restore(new DhcpLease("lan", DhcpText.inet(Msgs.ip("10.9.0.101")), DhcpText.hex(Msgs.mac(1)),
                Optional.empty(), Optional.empty(), now + 100 * SEC, false), now));
        assertTrue(core.restore(new DhcpLease("lan", DhcpText.inet(Msgs.ip("10.9.0.102")), DhcpText.hex(Msgs.mac(2)),
                Optional.empty(), Optional.of("mine"), now + 100 * SEC, true), now), "the host's own lease stays");
        DhcpOutcome.Reply offer = (DhcpOutcome.Reply) core.handle(Msgs.from(0x63, DhcpMessageType.DHCPDISCOVER).build(),
                Msgs.LAN, now);
        assertEquals(Msgs.ip("10.9.0.101"), offer.message().yiaddr());
    }

    @Test
    void aFailedCompactionDoesNotLeaveTheJournalClosedForever() throws IOException {
        try (LeaseJournal j = LeaseJournal.open(dir, 0)) {
            j.append(JournalRecord.bound(lease(1, null), 1000));
            j.sync();
            // something took the journal's name: the rename of the compacted file fails
            Files.delete(file());
            Files.createDirectory(file());
            Files.writeString(file().resolve("x"), "x");
            org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> j.compact(List.of(JournalRecord.bound(lease(1, null), 1000))));
            Files.delete(file().resolve("x"));
            Files.delete(file());
            // once the name is free again, appends work again
            j.append(JournalRecord.bound(lease(2, null), 2000));
            j.sync();
        }
        assertEquals(List.of(Msgs.ip("10.9.0.102")), addresses(LeaseJournal.load(dir)));
    }
}
