package io.warren.testlab;

/**
 * A veth pair whose ends were created directly inside two namespaces, both up, TX checksum offload off
 * (shared/lab-notes.md: with offload on, a kernel sender leaves inner checksums unfinished and a
 * userspace tunnel endpoint forwards corrupt packets).
 *
 * @param a   namespace of the first end
 * @param ifA name of the first end inside {@code a}
 * @param b   namespace of the second end
 * @param ifB name of the second end inside {@code b}
 */
public record VethPair(Netns a, String ifA, Netns b, String ifB) {
}
