/**
 * Network-namespace test lab: a JUnit 5 extension ({@link io.warren.testlab.NetLab}) that builds
 * namespaces, veth pairs, bridges and NAT boxes, spawns peers inside them, and removes all of it.
 *
 * <p>Role: the third test tier of Warren (real kernel, real peers). Usage:
 * <pre>{@code @RegisterExtension static final NetLab lab = NetLab.create();}</pre>
 * Everything is named with a prefix that encodes the creating JVM's PID ({@code wl<pid>-<seq>-<short>}),
 * so a later run can recognise and delete what a crashed run left behind, and never touches namespaces
 * of a live run (other engineers' builds run concurrently on the same machine).
 *
 * <p>Cleanup order (after each test for test-scoped objects, after all for class-scoped ones, and in a
 * JVM shutdown hook for interrupted runs): processes the lab started are stopped by PID (SIGTERM, wait,
 * SIGKILL), then any process left inside a lab namespace, then each namespace's {@link
 * io.warren.testlab.Netns#call call} thread is ended, then the namespace is deleted (which removes its
 * veths and bridges), then stale WireGuard UAPI sockets of interface names the lab issued.
 *
 * <p>Threading: a {@code NetLab} is safe to use from several threads (its registry is synchronised).
 * Each {@link io.warren.testlab.Netns} owns at most one platform thread, entered into the namespace with
 * {@code setns(CLONE_NEWNET)}; tasks given to {@code call} run on it one at a time. Only the network
 * namespace is switched: {@code /sys} still shows the root namespace inside such a task.
 *
 * <p>Buffers: none are shared. Command output is captured to files under {@link
 * io.warren.testlab.NetLab#tempDir()} and read back as strings owned by the caller.
 *
 * <p>Safety: test traffic only goes to addresses inside namespaces the lab created. Tests that need root
 * or a missing executable are skipped (JUnit assumptions) with the reason and the Debian package.
 */
package io.warren.testlab;
