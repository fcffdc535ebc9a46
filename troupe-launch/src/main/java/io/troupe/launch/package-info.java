/**
 * What a process needs to launch a YAML spec's team: {@link io.troupe.launch.SpecModels} builds its models, each
 * inside the resilience layer, and {@link io.troupe.launch.SpecTools} its tools, from the built-in tools and plugin
 * jars. The command line and the server both use it.
 */
@org.jspecify.annotations.NullMarked
package io.troupe.launch;
