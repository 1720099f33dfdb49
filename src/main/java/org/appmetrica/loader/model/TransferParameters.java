package org.appmetrica.loader.model;

import org.appmetrica.loader.logsapi.TransferSettings;

import java.util.Locale;
import java.util.Properties;

/** The job parameters of how an export travels: {@code maxExportBytes} and {@code compression} (the parameter table of docs/loads.md). */
public final class TransferParameters {

    public static final String MAX_EXPORT_BYTES = LoadParameter.MAX_EXPORT_BYTES.key();
    public static final String COMPRESSION = LoadParameter.COMPRESSION.key();

    private TransferParameters() {
    }

    static TransferSettings parse(Properties p) {
        String rawMax = LoadParameters.value(p, MAX_EXPORT_BYTES, Long.toString(TransferSettings.DEFAULT_MAX_EXPORT_BYTES));
        long max;
        try {
            max = Long.parseLong(rawMax);
            if (max < 1) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("job parameter " + MAX_EXPORT_BYTES + "='" + rawMax
                    + "': expected a positive whole number of bytes, like 53687091200 (50 GiB, the default)");
        }
        String compression = LoadParameters.value(p, COMPRESSION, "gzip").toLowerCase(Locale.ROOT);
        if (!compression.equals("gzip") && !compression.equals("none")) {
            throw new IllegalArgumentException("job parameter " + COMPRESSION + "='" + LoadParameters.value(p, COMPRESSION, "")
                    + "': expected gzip (the default) or none");
        }
        return new TransferSettings(max, compression.equals("gzip"));
    }
}
