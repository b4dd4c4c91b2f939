/**
 * DNS forwarder and cache for the LAN and VPN side of the gateway: answers local names (static
 * hosts, hosts(5) files, DHCP leases, VPN peers), serves cached answers, and forwards the rest to
 * upstream resolvers chosen per domain (split DNS). Messages are parsed and built with dnsjava.
 *
 * <p>Pipeline of a client query ({@link io.warren.gateway.dns.DnsResolver#onQuery}):
 * <ol>
 *   <li>{@link io.warren.gateway.dns.QueryParser}: header checks, dnsjava parse, EDNS(0) checks;
 *       bad input becomes an error reply or a silent drop, each with a {@link io.warren.gateway.dns.DnsDropReason};</li>
 *   <li>{@link io.warren.gateway.dns.LocalZone}: local names and NXDOMAIN inside local domains;</li>
 *   <li>{@link io.warren.gateway.dns.DnsCache}: positive and negative (RFC 2308) answers, TTLs decremented;</li>
 *   <li>{@link io.warren.gateway.dns.UpstreamSelector} then {@link io.warren.gateway.dns.Forwarder}: random
 *       query id and, per UDP attempt, a socket of its own on a random port (RFC 5452 §9.2), closed
 *       when the attempt ends; one upstream query per question in flight (identical client queries join
 *       it, RFC 5452 §5), strict answer matching, timeouts, retry to the next upstream, TCP after a
 *       truncated UDP answer.</li>
 * </ol>
 *
 * <p><b>Threading:</b> everything except {@link io.warren.gateway.dns.DnsServer},
 * {@link io.warren.gateway.dns.ShellDispatcher} and {@link io.warren.gateway.dns.UdpListener} is sans-I/O: no
 * sockets, threads or clocks; {@code now} (nanoseconds, monotonic) and randomness are inputs. A
 * {@link io.warren.gateway.dns.DnsResolver} with its forwarder is confined to one Netty event loop (one
 * loop by default), which also serves TCP and opens and closes the upstream sockets. Each listening UDP socket (one per
 * configured address and resolver, SO_REUSEPORT when there are several resolvers) has a receive thread
 * of its own ({@link io.warren.gateway.dns.UdpListener}) that answers cache hits itself through
 * {@link io.warren.gateway.dns.DnsResolver#answerFromCache} (the {@link io.warren.gateway.dns.DnsCache} is
 * locked) and hands every other query to the resolver's loop through a bounded queue.
 * {@link io.warren.gateway.dns.LocalZone} is fed through {@link io.warren.gateway.dns.NameSource} by the DHCP
 * server and the WireGuard peer code on their own threads and is therefore internally synchronised.
 * {@link io.warren.gateway.dns.DnsCounters} may be read from any thread.
 *
 * <p><b>Buffers:</b> the cache-hit path allocates nothing: the query is copied from the
 * {@code recvmmsg} ring into the receive thread's scratch array, parsed in place
 * ({@link io.warren.gateway.dns.FastQuery}), looked up with a reusable key
 * ({@link io.warren.gateway.dns.CacheKey#probe()}), rendered into a scratch array and queued with the
 * raw source address in a {@code sendmmsg} batch. Elsewhere the core works on {@code byte[]}: the
 * shell copies each other datagram or TCP frame into a fresh array that the core may keep (it does
 * not), and every reply or upstream query the core returns is a fresh array that the shell sends
 * ({@code sendmsg} for UDP clients) or wraps and hands to Netty, which releases it after writing. The
 * shell releases every received {@link io.netty.buffer.ByteBuf} itself.
 */
package io.warren.gateway.dns;
