package io.warren.gateway.dhcp;

import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The journal's own thread: group commit off the event loop. The event loop hands over each read
 * batch's journal records together with the replies that must not leave before those records are
 * on disk (ACKs); this thread takes everything queued, appends it, fsyncs once and only then writes
 * the replies. While one fsync runs (milliseconds on real disks) the event loop keeps answering and
 * the next fsync covers all of it. Compactions go through the same FIFO, so they apply in order
 * with the appends. The queue is bounded: a full queue blocks the event loop (back-pressure).
 *
 * <p>If a write or fsync fails the error is counted and logged and the replies still go out.
 */
final class JournalWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JournalWriter.class.getName());

    /** One unit of work, executed in queue order. */
    private sealed interface Work {
    }

    private record Append(List<JournalRecord> records, Channel channel, List<DatagramPacket> replies) implements Work {
    }

    private record Compact(List<JournalRecord> live) implements Work {
    }

    private record Stop() implements Work {
    }

    private final LeaseJournal journal;
    private final DhcpCounters counters;
    private final BlockingQueue<Work> queue = new ArrayBlockingQueue<>(16_384);
    private final Thread thread;

    JournalWriter(LeaseJournal journal, DhcpCounters counters) {
        this.journal = journal;
        this.counters = counters;
        this.thread = new Thread(this::run, "dhcp-journal");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues records and the replies to send once they are durable. */
    void append(List<JournalRecord> records, Channel channel, List<DatagramPacket> replies) {
        put(new Append(records, channel, replies));
    }

    /** Queues a compaction to exactly {@code live}. */
    void compact(List<JournalRecord> live) {
        put(new Compact(live));
    }

    private void put(Work w) {
        try {
            queue.put(w);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (w instanceof Append a) {
                a.replies.forEach(ReferenceCountUtil::release);
            }
        }
    }

    private void run() {
        List<Work> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch);
            boolean stop = false;
            List<Append> toSend = new ArrayList<>();
            for (Work w : batch) {
                if (w instanceof Append a) {
                    a.records.forEach(journal::append);
                    toSend.add(a);
                } else if (w instanceof Compact c) {
                    guarded(() -> journal.compact(c.live), "compaction");
                } else if (w instanceof Stop) {
                    stop = true;
                }
            }
            batch.clear();
            guarded(journal::sync, "fsync");
            Set<Channel> touched = new LinkedHashSet<>();
            for (Append a : toSend) {
                for (DatagramPacket p : a.replies) {
                    a.channel.write(p).addListener(f -> {
                        if (!f.isSuccess()) {
                            counters.sendErrors.increment();
                        }
                    });
                }
                touched.add(a.channel);
            }
            touched.forEach(Channel::flush);
            if (stop) {
                guarded(journal::close, "close");
                return;
            }
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private void guarded(IoAction action, String what) {
        try {
            action.run();
        } catch (IOException e) {
            counters.journalErrors.increment();
            LOG.log(Level.WARNING, "DHCP lease journal " + what + " failed; recent leases may be lost on restart", e);
        }
    }

    /** Writes everything queued, fsyncs, closes the journal and ends the thread. */
    @Override
    public void close() {
        put(new Stop());
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
