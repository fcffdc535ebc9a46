/**
 * The built-in {@link io.troupe.api.team.Collaboration} mechanisms. Each is a pure function of the conversation
 * view, so a resumed run makes the same decisions.
 */
@NullMarked
package io.troupe.runtime.mechanism;

import org.jspecify.annotations.NullMarked;
