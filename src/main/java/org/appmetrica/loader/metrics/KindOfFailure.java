package org.appmetrica.loader.metrics;

/**
 * An exception of a later stage (reader, processor) that names its own failure kind, so that the metrics need not know
 * the stages: their packages depend on this one, never the other way.
 */
public interface KindOfFailure {

    /** The {@code kind} label of the failures counter, e.g. {@code corrupt_export}. */
    String failureKind();
}
