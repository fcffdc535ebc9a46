/**
 * Teams of agents and how they work together: {@link io.troupe.api.team.TeamSpec}, the
 * {@link io.troupe.api.team.MechanismSpec built-in mechanisms} and the {@link io.troupe.api.team.Collaboration}
 * SPI for new ones.
 */
@NullMarked
package io.troupe.api.team;

import org.jspecify.annotations.NullMarked;
