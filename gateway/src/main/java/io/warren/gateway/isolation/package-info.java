/**
 * Code the daemon needs only for a moment (parsing the config, parsing the command line), loaded in
 * a {@link io.warren.gateway.isolation.ChildFirstLoader} of its own so that its classes are unloaded
 * once it is done, instead of staying in metaspace for the life of the process (issue #9: metaspace used
 * 16.1 -> 13.0 MB for tomlj and ANTLR, 13.0 -> 11.9 MB for picocli, with 1000 peers).
 *
 * <p>Threading: a loader is thread-safe (parallel capable); what runs in it decides its own threading.
 */
package io.warren.gateway.isolation;
