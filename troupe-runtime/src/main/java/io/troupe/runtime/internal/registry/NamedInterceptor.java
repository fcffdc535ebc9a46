package io.troupe.runtime.internal.registry;

import io.troupe.api.intercept.Interceptor;

/** An interceptor and the name it is registered (and journaled) under. */
public record NamedInterceptor(String name, Interceptor interceptor) {}
