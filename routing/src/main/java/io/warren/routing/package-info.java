/**
 * Routing: which peer, tunnel or port a packet or frame goes to. Step "route" of the data path
 * TUN -> route -> encapsulate -> seal -> UDP, and its inbound check.
 *
 * <ul>
 *   <li>{@link io.warren.routing.IpPrefix}: canonical IPv4/IPv6 prefixes, parsed without throwing.</li>
 *   <li>{@link io.warren.routing.PrefixTable}: the one longest-prefix-match structure (6-bit-stride,
 *       popcount-compressed multibit trie, {@link io.warren.routing.StrideNode}, compiled per
 *       publication into flat leaf-pushed, path-compressed arrays, {@link io.warren.routing.Fib} and
 *       {@link io.warren.routing.FibBlock}) for both families,
 *       used by {@link io.warren.routing.AllowedIps} (WireGuard cryptokey routing) and
 *       {@link io.warren.routing.RouteTable} (static routes with metrics to
 *       {@link io.warren.routing.RouteTarget}s).</li>
 *   <li>{@link io.warren.routing.MacTable}: per-segment L2 filtering database for the overlays
 *       (VXLAN, L2TPv3 Ethernet pseudowires), with aging, static entries and a bound.</li>
 * </ul>
 *
 * <p><b>Threading.</b> Everything is sans-I/O: no threads, clocks, sockets or native calls; time
 * comes in as {@code now} (nanoseconds, caller's monotonic clock).
 * <ul>
 *   <li>Prefix tables: lock-free readers on any number of data-path threads, one writer at a time
 *       (writers synchronize on the table). State is an immutable snapshot behind one volatile field;
 *       writers copy the changed path and publish a new snapshot (batches publish once), so readers
 *       never block and never see a half-applied change. Old snapshots are reclaimed by the GC, so a
 *       reader still walking one is always safe.</li>
 *   <li>{@code MacTable}: not thread-safe; confined to the thread that switches the segment (learning
 *       is a write on every frame, so a lock-free snapshot would cost an allocation per frame).</li>
 * </ul>
 *
 * <p><b>Memory.</b> Prefix tables keep the control-plane trie and its compiled form (both immutable,
 * shared between snapshots where unchanged); {@code PrefixTable.stats()} reports both in bytes.
 * Lookups allocate nothing; writers allocate the copied path and the recompiled page and blocks.
 *
 * <p><b>Buffers.</b> Lookups that read an address from a {@link java.nio.ByteBuffer} use absolute
 * gets only: the caller owns the buffer, and its position, limit and byte order are left untouched.
 * Nothing here keeps a reference to a buffer. Out-of-range offsets give "no match", never an exception.
 */
package io.warren.routing;
