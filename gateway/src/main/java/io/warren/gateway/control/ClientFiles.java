package io.warren.gateway.control;

import io.warren.gateway.config.ConfigError;
import io.warren.gateway.config.ConfigParser;
import io.warren.gateway.config.ConfigResult;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.config.WgKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The I/O shell of {@code client add}: reads the config file, plans with {@link ClientOnboarding},
 * checks that the new text is a valid config, and replaces the file atomically (a temp file in the
 * same directory with the original's mode, owner and group, fsync, {@code rename(2)}), so a crash
 * leaves the old or the new file, never half of one. Comments and layout are kept: the new peer is
 * appended. A symlinked config is followed and the target replaced. Callers serialise calls.
 */
public final class ClientFiles {
    private static final Logger LOG = Logger.getLogger(ClientFiles.class.getName());

    private final SecureRandom random;
    private final Clock clock;

    public ClientFiles(SecureRandom random, Clock clock) {
        this.random = random;
        this.clock = clock;
    }

    /** Adds the client to {@code configFile}; returns the plan (with the client config). */
    public ClientOnboarding.Plan add(Path configFile, ControlRequest.ClientAdd req) throws ControlFailure {
        Path file;
        String text;
        try {
            file = configFile.toRealPath();
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ControlFailure(ControlFailure.INTERNAL, "cannot read " + configFile + ": " + e.getMessage());
        }
        WarrenConfig current = parse(file, text, "the config file is invalid now; fix it first");
        ClientOnboarding.Plan plan = ClientOnboarding.plan(current, text, req, WgKey.generatePrivate(random),
                LocalDate.now(clock));
        WarrenConfig next = parse(file, plan.newText(), "adding the peer would make the config invalid");
        if (next.interfaces().get(plan.iface()).peerNamed(req.name()).isEmpty()) {
            throw new ControlFailure(ControlFailure.INTERNAL, "the new peer block was not read back from the file");
        }
        try {
            replace(file, plan.newText());
        } catch (IOException e) {
            throw new ControlFailure(ControlFailure.INTERNAL, "cannot write " + file + ": " + e.getMessage());
        }
        LOG.info("client \"" + req.name() + "\" added to " + file + " on " + plan.iface() + " as " + plan.address());
        return plan;
    }

    private static WarrenConfig parse(Path file, String text, String why) throws ControlFailure {
        ConfigResult r = ConfigParser.forFile(file).parse(file.getFileName().toString(), text);
        if (!r.isValid()) {
            throw new ControlFailure(ControlFailure.REJECTED, why,
                    r.errors().stream().map(ConfigError::format).toList());
        }
        return r.config().get();
    }

    /** Writes {@code text} to a sibling temp file with {@code file}'s attributes, then renames it over. */
    static void replace(Path file, String text) throws IOException {
        PosixFileAttributes attrs = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName() + "-", ".tmp",
                PosixFilePermissions.asFileAttribute(attrs.permissions()));
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, attrs.permissions());
            try {
                Files.setOwner(tmp, attrs.owner());
                Files.getFileAttributeView(tmp, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(attrs.group());
            } catch (IOException e) {
                LOG.log(Level.FINE, "keeping the daemon's ownership on " + file + ": " + e.getMessage());
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
