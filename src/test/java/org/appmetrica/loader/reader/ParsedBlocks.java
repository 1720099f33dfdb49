package org.appmetrica.loader.reader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Test helper: a source's rows gathered once into blocks as the reader gathers them, kept for mapping again and again. */
public final class ParsedBlocks {

    private ParsedBlocks() {
    }

    public static List<RowBlock> of(RowSource source) throws IOException {
        List<RowBlock> blocks = new ArrayList<>();
        long n = 0;
        try (source) {
            while (true) {
                RowBlock block = new RowBlock();
                block.reset(n);
                while (block.rows() < LogsApiItemReader.BLOCK_ROWS && block.bytes() < LogsApiItemReader.BLOCK_BYTES) {
                    Cells cells = source.next();
                    if (cells == null) {
                        break;
                    }
                    block.add(cells);
                }
                if (block.rows() == 0) {
                    return blocks;
                }
                n += block.rows();
                blocks.add(block);
            }
        }
    }
}
