/**
 * Team specs in YAML: {@link io.troupe.config.SpecLoader} reads a file into a {@link io.troupe.config.ScenarioSpec}
 * made of the api records, or throws a {@link io.troupe.config.SpecException} that lists every mistake with its
 * {@code file:line:column} and a hint.
 *
 * <p>The format is documented on {@link io.troupe.config.SpecLoader}; a JSON Schema for editors ships as the
 * resource {@code troupe-spec.schema.json}.
 */
@NullMarked
package io.troupe.config;

import org.jspecify.annotations.NullMarked;
