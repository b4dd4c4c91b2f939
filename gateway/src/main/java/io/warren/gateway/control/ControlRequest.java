package io.warren.gateway.control;

import java.util.List;
import java.util.Objects;

/**
 * One request on the control socket. On the wire: one JSON object, e.g.
 * {@code {"command":"status"}}, {@code {"command":"reload"}} or
 * {@code {"command":"client-add","name":"alice","interface":"wg0","endpoint":"vpn.example.org:51820"}}.
 */
public sealed interface ControlRequest permits ControlRequest.Status, ControlRequest.Reload, ControlRequest.ClientAdd {

    /** The wire name of the command. */
    String command();

    /** Whether the request changes the gateway (only privileged callers may send it). */
    boolean mutates();

    /** Interfaces, peers, tunnels, routes, leases. */
    record Status() implements ControlRequest {
        @Override
        public String command() {
            return "status";
        }

        @Override
        public boolean mutates() {
            return false;
        }
    }

    /** Re-read the config file and apply the difference. */
    record Reload() implements ControlRequest {
        @Override
        public String command() {
            return "reload";
        }

        @Override
        public boolean mutates() {
            return true;
        }
    }

    /**
     * Add a remote-access client.
     *
     * @param name       peer name (one DNS label)
     * @param iface      interface, or null for the first
     * @param endpoint   the gateway's public {@code HOST[:PORT]} as clients see it, or null (then the
     *                   request fails: the config model has no public endpoint yet)
     * @param allowedIps what the client routes into the tunnel, or empty for the gateway's networks
     */
    record ClientAdd(String name, String iface, String endpoint, List<String> allowedIps) implements ControlRequest {
        public ClientAdd {
            Objects.requireNonNull(name, "name");
            allowedIps = allowedIps == null ? List.of() : List.copyOf(allowedIps);
        }

        @Override
        public String command() {
            return "client-add";
        }

        @Override
        public boolean mutates() {
            return true;
        }
    }
}
