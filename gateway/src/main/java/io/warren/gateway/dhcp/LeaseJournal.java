package io.warren.gateway.dhcp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * either the old or the new file, never a half one. Loading skips lines whose CRC fails (a torn last
 * line after a crash) and cuts a torn tail off before appending again.
 *
 * <p>Not thread-safe: owned by the {@link JournalWriter}'s thread once the server runs.
 */
public final class LeaseJournal implements AutoCloseable {

    /** The journal's file name inside the lease directory. */
    public static final String FILE = "leases.journal";
    private static final int COMPACT_MIN_RECORDS = 4096;

    private final Path dir;
    private final Path file;
    private FileChannel channel;
    private final StringBuilder pending = new StringBuilder();
    private long recordsInFile;

    /** What {@link #load} found. */
    public record Loaded(List<JournalRecord> live, int records, int damagedLines) {
    }

    private LeaseJournal(Path dir, long recordsInFile) throws IOException {
        this.dir = dir;
        this.file = dir.resolve(FILE);
        this.recordsInFile = recordsInFile;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** Reads the journal in {@code dir} (missing = empty): the last B record of each address not followed by an R. */
    public static Loaded load(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) {
            return new Loaded(List.of(), 0, 0);
        }
        String text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
        Map<Integer, JournalRecord> live = new LinkedHashMap<>();
        int records = 0;
        int damaged = 0;
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            Optional<JournalRecord> r = JournalRecord.parse(line);
            if (r.isEmpty()) {
                damaged++;
                continue;
            }
            records++;
            if (r.get().bound()) {
                live.remove(r.get().address());
                live.put(r.get().address(), r.get());
            } else {
                live.remove(r.get().address());
            }
        }
        return new Loaded(List.copyOf(live.values()), records, damaged);
    }

    /** Opens {@code dir}'s journal for appending, creating the directory; cuts off a torn last line. */
    public static LeaseJournal open(Path dir, int recordsInFile) throws IOException {
        Files.createDirectories(dir);
        Path f = dir.resolve(FILE);
        if (Files.exists(f)) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long size = ch.size();
                long keep = size;
                ByteBuffer one = ByteBuffer.allocate(1);
                while (keep > 0) {
                    one.clear();
                    ch.read(one, keep - 1);
                    if (one.get(0) == '\n') {
                        break;
                    }
                    keep--;
                }
                if (keep < size) {
                    ch.truncate(keep);
                    ch.force(true);
                }
            }
        }
        return new LeaseJournal(dir, recordsInFile);
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

    /** Writes the buffered records and fdatasyncs the file (which also persists the grown size). */
    public void sync() throws IOException {
        if (pending.length() == 0) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(pending.toString().getBytes(StandardCharsets.UTF_8));
        pending.setLength(0);
        while (b.hasRemaining()) {
            channel.write(b);
        }
        channel.force(false);
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
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        recordsInFile = live.size();
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
