/**
 * The {@code troupe} command line: {@code run}, {@code validate} and {@code replay} for YAML team specs. Its
 * entry point is {@link io.troupe.cli.Main}; everything else is package-private.
 */
@org.jspecify.annotations.NullMarked
package io.troupe.cli;
