package io.warren.gateway.nat;

import io.warren.gateway.uapi.AllowedIp;
import io.warren.gateway.uapi.DeviceState;
import io.warren.gateway.uapi.PeerState;
import io.warren.gateway.uapi.UapiKey;
import io.warren.routing.IpPrefix;
import io.warren.routing.PrefixTable;

/**
 * Which peer of a device owns a destination address (longest-prefix match over the peers'
 * allowed IPs, as cryptokey routing sends it): tells the hub which spoke a relayed flow
 * ({@link RelayedFlows.Flow}) is going to. Built from one device state; immutable after that.
 */
final class PrefixOwners {
    private final DeviceState from;
    private final PrefixTable<UapiKey> table = new PrefixTable<>();

    private PrefixOwners(DeviceState state) {
        this.from = state;
        table.update(e -> {
            for (PeerState p : state.peers()) {
                for (AllowedIp ip : p.allowedIps()) {
                    e.put(IpPrefix.fromBytes(ip.address(), ip.prefixLength()), p.publicKey());
                }
            }
        });
    }

    /** The owners for {@code state}: {@code previous} again when it was built from the same state. */
    static PrefixOwners of(DeviceState state, PrefixOwners previous) {
        return previous != null && previous.from.equals(state) ? previous : new PrefixOwners(state);
    }

    /** The peer the flow's destination belongs to, or null. */
    UapiKey owner(RelayedFlows.Flow f) {
        return f.version() == 4 ? table.lookupV4((int) f.lo()) : table.lookupV6(f.hi(), f.lo());
    }
}
