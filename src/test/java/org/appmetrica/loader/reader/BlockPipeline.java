package org.appmetrica.loader.reader;

import org.appmetrica.loader.clickhouse.NativeBlock;
import org.appmetrica.loader.processor.RowMapper;

import java.io.IOException;
import java.util.List;

/**
 * The load's own per-row path without the batch runtime and the network, for benchmarks: rows from a source gathered
 * into {@link RowBlock}s as {@code LogsApiItemReader} does, each block mapped into one reused Native block as the
 * processor does; the block is emptied every {@code chunkRows} rows, as the writer's block is reused per chunk.
 */
public final class BlockPipeline {

    private final RowBlock block = new RowBlock();
    private final NativeBlock out;
    private final int chunkRows;

    /** @param columns the table's (TableLayout#columns) */
    public BlockPipeline(int chunkRows, List<String[]> columns) {
        this.chunkRows = chunkRows;
        this.out = new NativeBlock(columns);
    }

    /** Reads the source to its end; the rows mapped (none when {@code mapper} is null: the reader's share alone). */
    public long drain(RowSource source, RowMapper mapper) throws IOException {
        long n = 0;
        long chunkStart = 0;
        out.reset();
        try (source) {
            boolean ended = false;
            while (!ended) {
                block.reset(n);
                long left = chunkRows - (n - chunkStart);
                int max = (int) Math.min(LogsApiItemReader.BLOCK_ROWS, left);
                while (block.rows() < max && block.bytes() < LogsApiItemReader.BLOCK_BYTES) {
                    Cells cells = source.next();
                    if (cells == null) {
                        ended = true;
                        break;
                    }
                    block.add(cells);
                }
                if (mapper != null) {
                    mapper.map(block, out);
                }
                n += block.rows();
                if (n - chunkStart >= chunkRows) {
                    chunkStart = n;
                    out.reset();
                }
            }
        }
        return n;
    }

    /** Bytes of the chunk being filled. */
    public long pending() {
        return out.size();
    }
}
