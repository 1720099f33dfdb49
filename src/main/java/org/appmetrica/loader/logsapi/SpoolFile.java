package org.appmetrica.loader.logsapi;

import org.appmetrica.loader.config.PrivateFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A spool file written past the page cache ({@code O_DIRECT}) where the file system allows it, else as usual.
 * <p>Why: an export of gigabytes written through the page cache takes that much fresh memory, and on a VM first
 * touching it costs system CPU (4 GB: 5.3 s written through the cache against 0.5 s past it, here), while its bytes are
 * read once, right behind the download. Direct writes go in whole aligned blocks, so bytes are gathered in a buffer and
 * the readable length ({@link #onDisk}) grows by the buffer, or at once when a reader waiting for them asks
 * ({@link #flush}); the last block is padded, and the file is cut to its length at the end.
 */
final class SpoolFile implements AutoCloseable {

    static final int BUFFER = 1 << 20;
    /** Past the page cache where possible; {@code -Dappmetrica.spool.pageCache=true} only to compare the two. */
    static final boolean DIRECT = !Boolean.getBoolean("appmetrica.spool.pageCache");
    /** {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}, looked up: a class loader that does not show it (WildFly) gets null. */
    private static final OpenOption O_DIRECT = directOption();
    private static final int MAX_BLOCK = 1 << 16;
    private static final Queue<ByteBuffer> POOL = new ConcurrentLinkedQueue<>();

    private final FileChannel channel;
    /** Aligned to the file system's block; null when writing through the page cache. */
    private final ByteBuffer buffer;
    private final boolean direct;
    private final int block;
    private long length;
    private long onDisk;
    /** The file position of the buffer's first byte (aligned), and how much of the buffer is in the file. */
    private long fileBase;
    private int inFile;
    private boolean closed;

    private SpoolFile(FileChannel channel, ByteBuffer buffer, int block) {
        this.channel = channel;
        this.buffer = buffer;
        this.direct = buffer != null;
        this.block = block;
    }

    /** A new private file (mode 600, see {@link PrivateFiles#createChannel}). */
    static SpoolFile create(Path file, boolean direct) throws IOException {
        if (direct) {
            int block = blockSize(file.getParent());
            if (block > 0) {
                try {
                    return new SpoolFile(PrivateFiles.createChannel(file, O_DIRECT), take(), block);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.deleteIfExists(file); // e.g. tmpfs refuses O_DIRECT: written as usual below
                }
            }
        }
        return new SpoolFile(PrivateFiles.createChannel(file), null, 0);
    }

    private static OpenOption directOption() {
        try {
            return (OpenOption) Class.forName("com.sun.nio.file.ExtendedOpenOption").getField("DIRECT").get(null);
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            return null;
        }
    }

    /** The file system's block size where direct I/O is possible with it (a power of two up to 64 KB), else 0. */
    static int blockSize(Path dir) {
        if (O_DIRECT == null) {
            return 0;
        }
        try {
            long size = Files.getFileStore(dir).getBlockSize();
            return size > 0 && size <= MAX_BLOCK && Long.bitCount(size) == 1 ? (int) size : 0;
        } catch (IOException | UnsupportedOperationException e) {
            return 0;
        }
    }

    /** A buffer aligned for any block size up to 64 KB, from the pool (direct memory is freed only by a GC). */
    private static ByteBuffer take() {
        ByteBuffer b = POOL.poll();
        return b != null ? b.clear() : ByteBuffer.allocateDirect(BUFFER + MAX_BLOCK).alignedSlice(MAX_BLOCK).limit(BUFFER).slice();
    }

    private static void give(ByteBuffer b) {
        if (b != null && POOL.size() < 8) {
            POOL.offer(b);
        }
    }

    /** Bytes in the file, readable by others: up to the buffer behind what was written, unless {@link #flush}ed. */
    synchronized long onDisk() {
        return onDisk;
    }

    /** True while written bytes wait in the buffer (of a file not closed yet). */
    synchronized boolean pending() {
        return onDisk < length && !closed;
    }

    synchronized void write(byte[] b, int off, int len) throws IOException {
        length += len;
        if (!direct) {
            ByteBuffer src = ByteBuffer.wrap(b, off, len);
            while (src.hasRemaining()) {
                channel.write(src);
            }
            onDisk = length;
            return;
        }
        while (len > 0) {
            int n = Math.min(len, buffer.remaining());
            buffer.put(b, off, n);
            off += n;
            len -= n;
            if (!buffer.hasRemaining()) {
                writeOut(BUFFER);
                fileBase += BUFFER;
                buffer.clear();
                inFile = 0;
                onDisk = fileBase;
            }
        }
    }

    /**
     * Puts the buffered bytes in the file at once, for a reader that caught up with the download: the last block padded,
     * rewritten whole by the next write out.
     */
    synchronized void flush() throws IOException {
        if (direct && onDisk < length && !closed) {
            writeOut((buffer.position() + block - 1) / block * block);
            inFile = buffer.position();
            onDisk = length;
        }
    }

    /** Writes the buffer's blocks from the one holding the first byte not in the file yet, up to {@code end}. */
    private void writeOut(int end) throws IOException {
        int from = inFile / block * block;
        ByteBuffer out = buffer.duplicate().limit(end).position(from);
        long at = fileBase + from;
        while (out.hasRemaining()) {
            at += channel.write(out, at);
        }
    }

    /** Writes what is buffered, cuts the padding of the last block, and forces the file to the disk. */
    synchronized void finish() throws IOException {
        flush();
        if (direct) {
            channel.truncate(length);
        }
        channel.force(true); // the checkpoint that follows must never point at bytes not on the disk
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } finally {
            give(buffer);
        }
    }

    /**
     * Reads a spool file being written, past the page cache where the file system allows it (whole aligned blocks into a
     * buffer, served from there), else as usual.
     */
    static final class Reader implements AutoCloseable {

        private final FileChannel channel;
        private final int block;
        private ByteBuffer buffer;
        /** The file's bytes [start, end) are in the buffer. */
        private long start;
        private long end;

        private Reader(FileChannel channel, ByteBuffer buffer, int block) {
            this.channel = channel;
            this.buffer = buffer;
            this.block = block;
        }

        static Reader open(Path file) throws IOException {
            int block = DIRECT ? blockSize(file.getParent()) : 0;
            if (block > 0) {
                try {
                    return new Reader(FileChannel.open(file, StandardOpenOption.READ, O_DIRECT), take(), block);
                } catch (IOException | UnsupportedOperationException e) {
                    // read as usual
                }
            }
            return new Reader(FileChannel.open(file, StandardOpenOption.READ), null, 0);
        }

        /** Reads from {@code position}, never at or past {@code available} (the bytes known written): 0 when nothing came. */
        int read(byte[] b, int off, int len, long position, long available) throws IOException {
            int max = (int) Math.min(len, available - position);
            if (buffer == null) {
                return Math.max(0, channel.read(ByteBuffer.wrap(b, off, max), position));
            }
            if (position < start || position >= end) {
                long from = position - position % block;
                buffer.clear();
                int n = channel.read(buffer, from);
                start = from;
                end = Math.min(from + Math.max(n, 0), available); // what lies past it may still be written
                if (position >= end) {
                    return 0;
                }
            }
            int n = (int) Math.min(max, end - position);
            buffer.get((int) (position - start), b, off, n);
            return n;
        }

        @Override
        public void close() throws IOException {
            try {
                channel.close();
            } finally {
                give(buffer);
                buffer = null;
            }
        }
    }
}
