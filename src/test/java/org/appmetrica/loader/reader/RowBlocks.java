package org.appmetrica.loader.reader;

/** Blocks of rows as the reader hands them to the processor, for tests. */
public final class RowBlocks {

    private RowBlocks() {
    }

    public static RowBlock of(long firstPosition, Cells... rows) {
        RowBlock block = new RowBlock();
        block.reset(firstPosition);
        for (Cells row : rows) {
            block.add(row);
        }
        return block;
    }
}
