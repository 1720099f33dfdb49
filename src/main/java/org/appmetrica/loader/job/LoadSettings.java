package org.appmetrica.loader.job;

import org.appmetrica.loader.logsapi.PollSettings;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Validated job parameters of {@code appmetrica-load}. Build with {@link LoadParameters#parse}.
 * {@code clickhouseDataSource} is null unless the target is a datasource (JNDI name) of the application server.
 */
public record LoadSettings(List<Long> applicationIds, List<String> sources, LocalDate dateSince, LocalDate dateUntil,
                           String dateDimension, String format, Map<String, List<String>> fields,
                           Map<String, Map<String, String>> filters, String apiUrl, String tokenRef,
                           String clickhouseUrl, String clickhouseDatabase, String clickhouseUser,
                           String clickhousePasswordRef, String clickhouseDataSource, int chunkSize, int parallelism, PollSettings poll,
                           int httpTimeoutSeconds, Path spoolDir, java.time.Duration leaseWait) {

    /** Every slice of the load in a stable order: by day, then application, then source. */
    public List<Slice> slices() {
        java.util.ArrayList<Slice> slices = new java.util.ArrayList<>();
        for (LocalDate d = dateSince; !d.isAfter(dateUntil); d = d.plusDays(1)) {
            for (long app : applicationIds) {
                for (String source : sources) {
                    if (org.appmetrica.loader.schema.FieldCatalog.get().source(source).orElseThrow().datesRequired()) {
                        slices.add(new Slice(app, source, d));
                    }
                }
            }
        }
        for (long app : applicationIds) {
            for (String source : sources) {
                if (!org.appmetrica.loader.schema.FieldCatalog.get().source(source).orElseThrow().datesRequired()) {
                    slices.add(new Slice(app, source, null));
                }
            }
        }
        return slices;
    }
}
