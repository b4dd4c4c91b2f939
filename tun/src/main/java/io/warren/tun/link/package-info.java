/**
 * Link configuration over rtnetlink (RFC 3549; linux/netlink.h, linux/rtnetlink.h, linux/if_link.h,
 * linux/if_addr.h): bring links up or down, set the MTU, add and remove addresses and routes.
 *
 * <p>Why rtnetlink and not iproute2: one netlink socket replaces a fork+exec of {@code ip} per change
 * (milliseconds each, and a PATH lookup); failures arrive as an errno in {@code NLMSG_ERROR} (plus the
 * kernel's extended-ack text) instead of parsing localised stderr; and it needs nothing but
 * {@code CAP_NET_ADMIN}, so it works under a hardened systemd unit ({@code CapabilityBoundingSet=
 * CAP_NET_ADMIN}, {@code NoNewPrivileges}, {@code ProtectSystem=strict}, no {@code /usr/sbin/ip} needed).
 *
 * <p>Layout: sans-I/O encoding and decoding ({@link io.warren.tun.link.Rtnetlink} constants,
 * {@link io.warren.tun.link.NetlinkMessageBuilder}, {@link io.warren.tun.link.RtnetlinkRequests},
 * {@link io.warren.tun.link.NetlinkReplyParser} returning sealed {@link io.warren.tun.link.NetlinkReply}
 * results; malformed replies are a {@code Malformed} result with a reason, never an exception), unit
 * tested byte for byte; and a thin jnr-ffi shell ({@link io.warren.tun.link.NetlinkSocket},
 * {@link io.warren.tun.link.NetlinkLinkConfigurator}). Tests of other modules use the in-memory
 * {@code RecordingLinkConfigurator} of this module's test-jar.
 *
 * <p>Threading: a {@link io.warren.tun.link.NetlinkLinkConfigurator} is not thread-safe; callers
 * serialise (its methods are {@code synchronized} as a guard). The socket lives in the network namespace
 * of the thread that opened it, so open it inside the target namespace.
 *
 * <p>Buffers: request byte arrays are created per call and owned by the socket shell until
 * {@code sendto} returns; the receive buffer belongs to the socket and the parser copies what it keeps
 * into immutable records.
 */
package io.warren.tun.link;
