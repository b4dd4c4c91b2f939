package io.warren.testlab;

import java.util.List;

/**
 * A Linux bridge inside a namespace, up, with its ports enslaved. Removed with its namespace.
 *
 * @param ns    the namespace holding the bridge
 * @param name  bridge interface name
 * @param ports enslaved interfaces
 */
public record Bridge(Netns ns, String name, List<String> ports) {
    /** Defensive copy of the port list. */
    public Bridge {
        ports = List.copyOf(ports);
    }
}
