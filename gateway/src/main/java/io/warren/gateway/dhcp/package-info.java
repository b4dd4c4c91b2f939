/**
 * The DHCPv4 server (RFC 2131, options of RFC 2132, relay agent information of RFC 3046), in the
 * manner of dnsmasq: pools per interface or relayed segment, static leases, a lease journal that
 * survives restarts and crashes.
 *
 * <p>Layers: {@link io.warren.gateway.dhcp.DhcpCodec} (wire format, sealed decode results with a
 * {@link io.warren.gateway.dhcp.DhcpDropReason}); {@link io.warren.gateway.dhcp.DhcpServerCore}
 * (the lease machine, sans I/O: it takes {@code now} and returns a
 * {@link io.warren.gateway.dhcp.DhcpOutcome}); {@link io.warren.gateway.dhcp.LeaseJournal}
 * (append-only lease file with fsync and atomic compaction); {@link io.warren.gateway.dhcp.DhcpServer}
 * (the thin Netty epoll shell: sockets, clock, journal, counters).
 *
 * <p><b>Hostile input:</b> a bad datagram is a counted drop, never an exception; a client's host name
 * is a single checked label (from option 81, Client FQDN, RFC 4702, else option 12) it cannot take
 * from a static host or another lease, and a malformed option 81 is counted and ignored; a client has
 * at most {@link io.warren.gateway.dhcp.DhcpSettings#declinesPerClient()} addresses in DECLINE
 * quarantine; a datagram over {@link io.warren.gateway.dhcp.DhcpWire#MAX_MESSAGE} is counted
 * {@code TOO_LONG}; a pool with {@code trusted-relays} ignores relayed requests from other sources;
 * a damaged, torn, huge or unreadable journal costs only its damaged lines (an unreadable one is set
 * aside).
 *
 * <p><b>Threading:</b> codec, messages, options and leases are immutable or stateless and shared
 * freely. The core, its lease table and the journal are confined to the shell's single event-loop
 * thread; {@link io.warren.gateway.dhcp.DhcpServer#leases()} and the counters may be read from any
 * thread. Lease listeners are called on the event-loop thread.
 *
 * <p><b>Buffers:</b> the caller owns every {@link io.netty.buffer.ByteBuf}: decoding reads without
 * moving indices or releasing; encoding appends to the buffer it is given. In the shell, Netty
 * releases received datagrams after the handler; reply buffers are handed to Netty's write, which
 * releases them.
 */
package io.warren.gateway.dhcp;
