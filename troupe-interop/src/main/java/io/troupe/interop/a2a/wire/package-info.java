/**
 * The A2A 1.0 data model as JSON records (the ProtoJSON form of {@code a2a.proto}: camelCase fields, enums as their
 * names, absent fields left out), shared by Troupe's A2A server and client.
 */
@NullMarked
package io.troupe.interop.a2a.wire;

import org.jspecify.annotations.NullMarked;
