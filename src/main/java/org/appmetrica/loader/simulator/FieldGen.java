package org.appmetrica.loader.simulator;

/**
 * A field's value rule bound to the stable hash of its name.
 *
 * @param session the field's draw is the session's, not the row's: every row of a session has the same value
 */
record FieldGen(String name, long hash, Gen gen, boolean session) {

    /** Value rule: {@code r} is the row-and-field draw, a pure function of the row seed and the field name. */
    @FunctionalInterface
    interface Gen {
        String value(SimRow row, long r);
    }
}
