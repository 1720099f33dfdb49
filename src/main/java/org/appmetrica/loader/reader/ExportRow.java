package org.appmetrica.loader.reader;

/**
 * One row of an export: its 0-based position in the slice's export (all parts in order) and the values in the
 * order of the requested fields, as the API rendered them.
 */
public record ExportRow(long position, String[] values) {

    /** Handed out once when a stop arrives before the export was ready, so that the chunk can end cleanly. */
    public static final ExportRow NOTHING = new ExportRow(-1, new String[0]);

    public boolean isNothing() {
        return this == NOTHING;
    }
}
