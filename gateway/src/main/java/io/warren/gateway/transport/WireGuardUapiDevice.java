package io.warren.gateway.transport;

import io.warren.gateway.uapi.ApplyResult;
import io.warren.gateway.uapi.DeviceChange;
import io.warren.gateway.uapi.DeviceChangeApplier;
import io.warren.gateway.uapi.DeviceState;
import io.warren.gateway.uapi.UapiDevice;
import io.warren.gateway.uapi.UapiErrno;
import java.io.IOException;

/**
 * The UAPI's view of a {@link WireGuardInterface}, so that the stock {@code wg} tool reads and
 * changes the running interface: a {@code set} is applied to the current state with the reference
 * rules ({@link DeviceChangeApplier}) and the result reconciled into the interface. Changes made
 * this way last until the next config reload, as with {@code wg set} on a wg-quick interface.
 */
public final class WireGuardUapiDevice implements UapiDevice {
    private final WireGuardInterface iface;

    public WireGuardUapiDevice(WireGuardInterface iface) {
        this.iface = iface;
    }

    @Override
    public DeviceState snapshot() {
        return iface.snapshot();
    }

    @Override
    public synchronized ApplyResult apply(DeviceChange change) {
        DeviceState next;
        try {
            next = DeviceChangeApplier.apply(iface.snapshot(), change);
        } catch (IllegalArgumentException e) {
            return new ApplyResult.Rejected(UapiErrno.EINVAL, e.getMessage());
        }
        try {
            iface.reconcile(next);
            return new ApplyResult.Applied();
        } catch (IOException e) {
            return new ApplyResult.Rejected(UapiErrno.EADDRINUSE, e.getMessage());
        }
    }
}
