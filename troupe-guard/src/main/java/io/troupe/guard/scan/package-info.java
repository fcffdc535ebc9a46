/**
 * The scan API behind {@code troupe guard scan}: {@link io.troupe.guard.scan.GuardScanner} scans texts for PII and
 * prompt injection, {@link io.troupe.guard.scan.ScanInput} reads plain-text or JSONL lines, and
 * {@link io.troupe.guard.scan.ScanJson} writes the stable one-line JSON verdicts documented in the README.
 */
@NullMarked
package io.troupe.guard.scan;

import org.jspecify.annotations.NullMarked;
