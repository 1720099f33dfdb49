package org.appmetrica.loader.reader;

/**
 * One row of an export: its 0-based position in the slice's export (all parts in order) and its values in the
 * order of the requested fields, as the API rendered them.
 */
public record ExportRow(long position, Cells cells) {

    /** Handed out once when a stop arrives before the export was ready, so that the chunk can end cleanly. */
    public static final ExportRow NOTHING = new ExportRow(-1, Cells.of());

    public boolean isNothing() {
        return this == NOTHING;
    }

    /** The values as text: for tests and messages. */
    public String[] values() {
        return cells.strings();
    }
}
