package io.warren.gateway.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the text of a {@code warren.toml} into a {@link WarrenConfig}, validating everything and
 * collecting every problem before anything starts.
 *
 * <p>Order: TOML syntax (tomlj, in a class loader of its own: {@link IsolatedToml}), then each section on its own (unknown keys, types, ranges,
 * required keys, in-section duplicates), then {@link CrossChecks} (references, ports, overlaps).
 * Only key files are read from disk, through {@link SecretFiles}.
 */
public final class ConfigParser {
    static final Set<String> TOP_KEYS =
            Set.of("interface", "tunnel", "route", "dhcp", "dns", "nat-traversal", "metrics", "control");

    private final SecretFiles files;
    private final Path baseDir;

    /**
     * @param files   how key files are read
     * @param baseDir folder relative key file paths are resolved against (the config's folder)
     */
    public ConfigParser(SecretFiles files, Path baseDir) {
        this.files = files;
        this.baseDir = baseDir;
    }

    /** A parser reading key files from disk, relative to {@code configFile}'s folder. */
    public static ConfigParser forFile(Path configFile) {
        Path dir = configFile.toAbsolutePath().getParent();
        return new ConfigParser(SecretFiles.LOCAL, dir == null ? Path.of("/") : dir);
    }

    /**
     * Parses {@code text}; {@code fileName} is only used in messages.
     */
    public ConfigResult parse(String fileName, String text) {
        Problems problems = new Problems(fileName);
        ParsedToml parsed = IsolatedToml.parse(text);
        if (parsed.root() == null) {
            for (ParsedToml.SyntaxError e : parsed.errors()) {
                problems.error(e.line(), "", "TOML syntax: " + e.message());
            }
            return new ConfigResult(Optional.empty(), problems.sorted());
        }
        ConfigTable toml = parsed.root();
        Section root = new Section(problems, toml, "", 0);
        for (String k : toml.keySet()) {
            if (k.equals("peer")) {
                problems.error(root.lineOf(k), "peer", "peers belong to an interface: write [[interface.NAME.peer]]");
            } else if (!TOP_KEYS.contains(k)) {
                String hint = Suggestions.closest(k, TOP_KEYS).map(s -> " (did you mean \"" + s + "\"?)").orElse("");
                problems.error(root.lineOf(k), k, "unknown section or key" + hint);
            }
        }
        Map<String, InterfaceConfig> interfaces =
                new InterfaceSection(problems, new KeyReader(files, baseDir)).parseAll(root);
        Map<String, TunnelConfig> tunnels = new TunnelSection(problems).parseAll(root);
        RouteSection.Parsed routes = new RouteSection(problems).parseAll(root);
        Map<String, Section> poolSections = new HashMap<>();
        Map<String, DhcpPoolConfig> pools = new DhcpSection(problems).parseAll(root, poolSections);
        ServiceSections services = new ServiceSections(problems);
        DnsConfig dns = new DnsSection(problems).parse(root);
        NatTraversalConfig nat = services.natTraversal(root);
        MetricsConfig metrics = services.metrics(root);
        ControlConfig control = services.control(root);
        new CrossChecks(problems, toml).run(interfaces, tunnels, routes, pools, poolSections);

        if (problems.hasErrors()) {
            return new ConfigResult(Optional.empty(), problems.sorted());
        }
        WarrenConfig config = new WarrenConfig(interfaces, tunnels, routes.routes(), pools, dns, nat, metrics, control);
        return new ConfigResult(Optional.of(config), problems.sorted());
    }
}
