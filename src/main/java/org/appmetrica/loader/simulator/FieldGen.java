package org.appmetrica.loader.simulator;

/** A field's value rule bound to the stable hash of its name. */
record FieldGen(String name, long hash, Gen gen) {

    /** Value rule: {@code r} is the row-and-field draw, a pure function of the row seed and the field name. */
    @FunctionalInterface
    interface Gen {
        String value(SimRow row, long r);
    }
}
