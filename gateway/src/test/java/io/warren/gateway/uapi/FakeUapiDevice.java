package io.warren.gateway.uapi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An in-memory {@link UapiDevice}: holds a {@link DeviceState}, applies changes with
 * {@link DeviceChangeApplier}, and refuses listen ports marked busy with EADDRINUSE (nothing applied),
 * to prove that a refused change is all-or-nothing. Thread-safe (synchronised).
 */
final class FakeUapiDevice implements UapiDevice {
    private DeviceState state;
    private final Set<Integer> busyPorts = new HashSet<>();
    private final List<DeviceChange> applied = new ArrayList<>();
    private RuntimeException failure;

    FakeUapiDevice(DeviceState initial) {
        this.state = initial;
    }

    FakeUapiDevice() {
        this(DeviceState.EMPTY);
    }

    synchronized void markPortBusy(int port) {
        busyPorts.add(port);
    }

    /** Makes every later call throw {@code failure} (a device bug). */
    synchronized void failWith(RuntimeException e) {
        failure = e;
    }

    synchronized DeviceState state() {
        return state;
    }

    synchronized void setState(DeviceState next) {
        state = next;
    }

    /** Every change applied so far (not the refused ones). */
    synchronized List<DeviceChange> appliedChanges() {
        return List.copyOf(applied);
    }

    @Override
    public synchronized DeviceState snapshot() {
        if (failure != null) {
            throw failure;
        }
        return state;
    }

    @Override
    public synchronized ApplyResult apply(DeviceChange change) {
        if (failure != null) {
            throw failure;
        }
        DeviceState next = DeviceChangeApplier.apply(state, change);
        if (next.listenPort() != state.listenPort() && busyPorts.contains(next.listenPort())) {
            return new ApplyResult.Rejected(UapiErrno.EADDRINUSE, "listen port " + next.listenPort() + " busy");
        }
        state = next;
        applied.add(change);
        return ApplyResult.APPLIED;
    }
}
