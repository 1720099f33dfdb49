package org.appmetrica.loader.reader;

import org.appmetrica.loader.clickhouse.RowBinaryBuffer;
import org.appmetrica.loader.processor.RowMapper;

import java.io.IOException;

/**
 * The load's own per-row path without the batch runtime and the network, for benchmarks: rows from a source gathered
 * into {@link RowBlock}s as {@code LogsApiItemReader} does, each block mapped into one reused RowBinary buffer as the
 * processor does; the buffer is emptied every {@code chunkRows} rows, as the writer's buffer is reused per chunk.
 */
public final class BlockPipeline {

    private final RowBlock block = new RowBlock();
    private final RowBinaryBuffer out;
    private final int chunkRows;

    public BlockPipeline(int chunkRows, int bufferBytes) {
        this.chunkRows = chunkRows;
        this.out = new RowBinaryBuffer(bufferBytes);
    }

    /** Reads the source to its end; the rows mapped. */
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
                for (int r = 0; r < block.rows(); r++) {
                    mapper.map(n + r, block.row(r), out);
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

    /** RowBinary bytes of the chunk being filled. */
    public long pending() {
        return out.size();
    }
}
