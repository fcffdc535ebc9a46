/** What an agent is: its {@link io.troupe.api.agent.AgentSpec spec}, memory policy and permissions. */
@NullMarked
package io.troupe.api.agent;

import org.jspecify.annotations.NullMarked;
