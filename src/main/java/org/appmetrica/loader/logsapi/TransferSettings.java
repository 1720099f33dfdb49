package org.appmetrica.loader.logsapi;

/**
 * How an export travels: at most {@code maxExportBytes} received per part (the spool never grows past it), and whether
 * to ask for gzip ({@code Accept-Encoding: gzip}; the spool then keeps the compressed bytes as received).
 */
public record TransferSettings(long maxExportBytes, boolean gzip) {

    /** 50 GiB: far above any one-day export, low enough that a server sending forever cannot fill the disk. */
    public static final long DEFAULT_MAX_EXPORT_BYTES = 50L << 30;
    public static final TransferSettings DEFAULTS = new TransferSettings(DEFAULT_MAX_EXPORT_BYTES, true);
}
