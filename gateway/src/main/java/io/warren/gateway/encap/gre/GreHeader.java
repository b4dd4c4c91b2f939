package io.warren.gateway.encap.gre;

/**
 * An immutable GRE header (RFC 2784 §2, RFC 2890 §2), version 0.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |C| |K|S| Reserved0       | Ver |         Protocol Type         |
 * |      Checksum (optional)      |       Reserved1 (Optional)    |
 * |                         Key (optional)                        |
 * |                 Sequence Number (Optional)                    |
 * </pre>
 *
 * A field that is not present must be zero, so that equal headers encode equally. The checksum
 * value is what was received; on encoding it is always computed.
 *
 * @param checksumPresent C bit (RFC 2784 §2.2)
 * @param checksum        Checksum field, 0..0xFFFF (RFC 2784 §2.5)
 * @param keyPresent      K bit (RFC 2890 §2.1)
 * @param key             Key field, any 32-bit value
 * @param sequencePresent S bit (RFC 2890 §2.1)
 * @param sequence        Sequence Number, unsigned 32-bit value in an int
 * @param protocolType    EtherType of the payload (RFC 2784 §2.4)
 */
public record GreHeader(boolean checksumPresent, int checksum, boolean keyPresent, int key,
                        boolean sequencePresent, int sequence, int protocolType) {

    /** Validates field ranges and that absent fields are zero. */
    public GreHeader {
        if (protocolType < 0 || protocolType > 0xFFFF) {
            throw new IllegalArgumentException("protocol type out of range: " + protocolType);
        }
        if (checksum < 0 || checksum > 0xFFFF || (!checksumPresent && checksum != 0)) {
            throw new IllegalArgumentException("checksum must be 0..0xFFFF and 0 when absent");
        }
        if (!keyPresent && key != 0) {
            throw new IllegalArgumentException("key must be 0 when absent");
        }
        if (!sequencePresent && sequence != 0) {
            throw new IllegalArgumentException("sequence must be 0 when absent");
        }
    }

    /** A minimal header: only the protocol type. */
    public static GreHeader of(int protocolType) {
        return new GreHeader(false, 0, false, 0, false, 0, protocolType);
    }

    /** A copy asking for the checksum to be computed on encoding. */
    public GreHeader withChecksum() {
        return new GreHeader(true, checksum, keyPresent, key, sequencePresent, sequence, protocolType);
    }

    /** A copy with the Key field present. */
    public GreHeader withKey(int newKey) {
        return new GreHeader(checksumPresent, checksum, true, newKey, sequencePresent, sequence, protocolType);
    }

    /** A copy with the Sequence Number field present. */
    public GreHeader withSequence(int newSequence) {
        return new GreHeader(checksumPresent, checksum, keyPresent, key, true, newSequence, protocolType);
    }

    /** The encoded length: 4 bytes plus 4 per optional field present. */
    public int length() {
        return GreWire.BASE_LENGTH + (checksumPresent ? 4 : 0) + (keyPresent ? 4 : 0) + (sequencePresent ? 4 : 0);
    }
}
