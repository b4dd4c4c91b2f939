package io.warren.gateway.dhcp;

import java.util.Optional;

/**
 * How a client is identified: by option 61 when present, otherwise by chaddr (RFC 2131 §4.2:
 * "the combination of 'client identifier' or 'chaddr' and assigned network address").
 */
final class ClientKeys {

    private ClientKeys() {
    }

    static String of(Optional<String> clientIdHex, String hardwareAddressHex) {
        return clientIdHex.map(id -> "id " + id).orElse("hw " + hardwareAddressHex);
    }

    static String of(DhcpMessage m) {
        return of(m.options().clientId().map(DhcpText::hex), DhcpText.hex(m.hardwareAddress()));
    }
}
