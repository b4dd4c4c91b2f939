package io.warren.gateway.dns;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.warren.gateway.config.IpAddresses;

/**
 * Parser of hosts(5) text: {@code address canonical_name [aliases...]}, {@code #} starts a
 * comment. Addresses must be literals (never resolved); lines with a bad address or host name are
 * counted and skipped, never thrown at.
 */
public final class HostsFile {

    /** One name for one address. */
    public record Entry(InetAddress address, String name) {
    }

    /** Parsed entries and the number of lines skipped as malformed. */
    public record Parsed(List<Entry> entries, int badLines) {
        public Parsed {
            entries = List.copyOf(entries);
        }
    }

    private HostsFile() {
    }

    /** Parses hosts(5) {@code text}. */
    public static Parsed parse(String text) {
        List<Entry> entries = new ArrayList<>();
        int bad = 0;
        for (String raw : text.split("\r?\n")) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split("\\s+");
            Optional<InetAddress> address = fields[0].contains("%") ? Optional.empty() : IpAddresses.parse(fields[0]);
            if (address.isEmpty() || fields.length < 2) {
                bad++;
                continue;
            }
            boolean lineOk = true;
            for (int i = 1; i < fields.length; i++) {
                if (LocalZone.hostName(fields[i], org.xbill.DNS.Name.root) == null) {
                    lineOk = false;
                } else {
                    entries.add(new Entry(address.get(), fields[i]));
                }
            }
            if (!lineOk) {
                bad++;
            }
        }
        return new Parsed(entries, bad);
    }
}
