package io.warren.gateway.dhcp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lease file: an append-only journal of {@link JournalRecord} lines in {@code leases.journal}.
 * Changes are buffered by {@link #append} and written with one {@code fsync} by {@link #sync} (the
 * {@link JournalWriter} syncs once per batch, before the ACKs go out: group commit). When the
 * journal has grown well past the live leases, {@link #compact} writes the live set to a temporary
 * file, fsyncs it, renames it over the journal (atomic) and fsyncs the directory: a crash leaves
 * either the old or the new file, never a half one. Loading streams the file and skips lines whose CRC
 * fails (a torn last line after a crash); opening cuts a torn tail off before appending again, or
 * ends it with its newline when only that was lost (loading counted that record).
 *
 * <p>Not thread-safe: owned by the {@link JournalWriter}'s thread once the server runs.
 */
public final class LeaseJournal implements AutoCloseable {

    /** The journal's file name inside the lease directory. */
    public static final String FILE = "leases.journal";
    private static final int COMPACT_MIN_RECORDS = 4096;
    /** Longer than any record (a client-id fills at most one datagram, 3 text bytes per byte). */
    private static final int MAX_LINE = 1 << 16;
    /** Records kept for a retry after a failed write, in characters (some 40,000 records). */
    private static final int MAX_PENDING = 8 << 20;

    private final Path dir;
    private final Path file;
    private FileChannel channel;
    private final StringBuilder pending = new StringBuilder();
    private long recordsInFile;

    /** What {@link #load} found. */
    public record Loaded(List<JournalRecord> live, int records, int damagedLines, Optional<Path> setAside) {
        public Loaded(List<JournalRecord> live, int records, int damagedLines) {
            this(live, records, damagedLines, Optional.empty());
        }
    }

    private LeaseJournal(Path dir, long recordsInFile) throws IOException {
        this.dir = dir;
        this.file = dir.resolve(FILE);
        this.recordsInFile = recordsInFile;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /**
     * Reads the journal in {@code dir} (missing = empty): the last B record of each address not
     * followed by an R. The file is streamed, so its size does not matter; a line longer than any
     * record can be counts as damaged. A journal that cannot be read at all (an I/O error, a
     * directory in its place) is renamed aside, never deleted, and loading starts empty.
     *
     * @throws IOException only if an unreadable journal cannot even be renamed
     */
    public static Loaded load(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
            return new Loaded(List.of(), 0, 0);
        }
        try {
            return read(f);
        } catch (IOException e) {
            Path aside = dir.resolve(FILE + ".unreadable-" + System.currentTimeMillis());
            Files.move(f, aside);
            return new Loaded(List.of(), 0, 0, Optional.of(aside));
        }
    }

    private static Loaded read(Path f) throws IOException {
        Map<Integer, JournalRecord> live = new LinkedHashMap<>();
        int records = 0;
        int damaged = 0;
        try (InputStream in = Files.newInputStream(f)) {
            byte[] chunk = new byte[1 << 16];
            byte[] line = new byte[MAX_LINE];
            int used = 0;
            boolean overlong = false;
            boolean eof = false;
            while (!eof) {
                int n = in.read(chunk);
                eof = n < 0;
                for (int i = 0; i < n || (eof && i == 0); i++) {
                    if (!eof && chunk[i] != '\n') {
                        if (used < line.length) {
                            line[used++] = chunk[i];
                        } else {
                            overlong = true;
                        }
                        continue;
                    }
                    if (overlong) {
                        damaged++;
                    } else if (used > 0) {
                        Optional<JournalRecord> r = JournalRecord.parse(new String(line, 0, used, StandardCharsets.UTF_8));
                        if (r.isEmpty()) {
                            damaged++;
                        } else {
                            records++;
                            live.remove(r.get().address());
                            if (r.get().bound()) {
                                live.put(r.get().address(), r.get());
                            }
                        }
                    }
                    used = 0;
                    overlong = false;
                }
            }
        }
        return new Loaded(List.copyOf(live.values()), records, damaged);
    }

    /**
     * Opens {@code dir}'s journal for appending, creating the directory; cuts off a torn last line.
     * A newly created journal has its directory fsynced, so the file itself survives a power loss.
     */
    public static LeaseJournal open(Path dir, int recordsInFile) throws IOException {
        Files.createDirectories(dir);
        Path f = dir.resolve(FILE);
        boolean created = !Files.exists(f);
        if (!created) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long size = ch.size();
                long keep = afterLastNewline(ch, size);
                if (keep < size && completeRecord(ch, keep, size)) {
                    ch.write(ByteBuffer.wrap(new byte[] {'\n'}), size); // torn just before its newline: load used it
                    ch.force(true);
                } else if (keep < size) {
                    ch.truncate(keep);
                    ch.force(true);
                }
            }
        }
        LeaseJournal j = new LeaseJournal(dir, recordsInFile);
        if (created) {
            j.channel.force(true);
            forceDirectory(dir);
        }
        return j;
    }

    /** The length of the file up to and including its last newline (0 if none), read backwards in blocks. */
    private static long afterLastNewline(FileChannel ch, long size) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(1 << 16);
        long end = size;
        while (end > 0) {
            long from = Math.max(0, end - block.capacity());
            block.clear().limit((int) (end - from));
            while (block.hasRemaining()) {
                if (ch.read(block, from + block.position()) < 0) {
                    throw new IOException("journal shrank while being opened");
                }
            }
            for (int i = block.position() - 1; i >= 0; i--) {
                if (block.get(i) == '\n') {
                    return from + i + 1;
                }
            }
            end = from;
        }
        return 0;
    }

    /** True if [from, to) holds one record whose CRC checks: {@link #load} counted it, so it must stay. */
    private static boolean completeRecord(FileChannel ch, long from, long to) throws IOException {
        if (to - from > MAX_LINE) {
            return false;
        }
        ByteBuffer tail = ByteBuffer.allocate((int) (to - from));
        while (tail.hasRemaining()) {
            if (ch.read(tail, from + tail.position()) < 0) {
                return false;
            }
        }
        return JournalRecord.parse(new String(tail.array(), StandardCharsets.UTF_8)).isPresent();
    }

    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** Buffers a record; written by the next {@link #sync}. */
    public void append(JournalRecord r) {
        pending.append(r.toLine());
        recordsInFile++;
    }

    /** True if records are waiting for {@link #sync}. */
    public boolean hasPending() {
        return pending.length() > 0;
    }

    /**
     * Writes the buffered records and fdatasyncs the file (which also persists the grown size). If
     * the write or fsync fails (disk full, I/O error) the file is cut back to its size before, so no
     * half line is left for the next records to be glued onto, and the records stay buffered for the
     * next call (up to {@link #MAX_PENDING} characters; beyond that they wait for a compaction).
     */
    public void sync() throws IOException {
        if (pending.length() == 0) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(pending.toString().getBytes(StandardCharsets.UTF_8));
        FileChannel ch = channel();
        long before = ch.size();
        try {
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(false);
        } catch (IOException e) {
            try {
                ch.truncate(before);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            if (pending.length() > MAX_PENDING) {
                pending.setLength(0);
            }
            throw e;
        }
        pending.setLength(0);
    }

    /** True if the file holds many more records than {@code liveLeases} need. */
    public boolean wantsCompaction(int liveLeases) {
        return recordsInFile > COMPACT_MIN_RECORDS && recordsInFile > 4L * liveLeases;
    }

    /** Replaces the journal with exactly {@code live}: write temp, fsync, rename, fsync the directory. */
    public void compact(Collection<JournalRecord> live) throws IOException {
        sync();
        Path tmp = dir.resolve(FILE + ".tmp");
        StringBuilder sb = new StringBuilder();
        live.forEach(r -> sb.append(r.toLine()));
        try (FileChannel t = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                t.write(b);
            }
            t.force(true);
        }
        channel.close();
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(dir);
        recordsInFile = live.size();
        channel(); // if the rename failed, the next sync opens the journal again
    }

    /** The journal's channel, opened again if a failed compaction left it closed. */
    private FileChannel channel() throws IOException {
        if (!channel.isOpen()) {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        return channel;
    }

    /** Writes what is pending and closes. */
    @Override
    public void close() throws IOException {
        try {
            sync();
        } finally {
            channel.close();
        }
    }
}
