package org.appmetrica.loader.model;

import org.appmetrica.loader.clickhouse.ClickHouseTarget;
import org.appmetrica.loader.config.SecretRef;
import org.appmetrica.loader.logsapi.PollSettings;
import org.appmetrica.loader.logsapi.TransferSettings;
import org.appmetrica.loader.schema.FieldCatalog;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validated job parameters of {@code appmetrica-load}. Build with {@link LoadParameters#parse}.
 * {@code clickhouseDataSource} is null unless the target is a datasource (JNDI name) of the application server;
 * {@code clickhouseCluster} is null unless the target is a cluster.
 */
public record LoadSettings(List<Long> applicationIds, List<String> sources, LocalDate dateSince, LocalDate dateUntil,
                           String dateDimension, String format, Map<String, List<String>> fields,
                           Map<String, Map<String, String>> filters, String apiUrl, String tokenRef,
                           String clickhouseUrl, String clickhouseDatabase, String clickhouseUser,
                           String clickhousePasswordRef, String clickhouseDataSource, String clickhouseCluster,
                           Integer clickhouseClusterHttpPortOffset, int chunkSize, int parallelism, PollSettings poll,
                           int httpTimeoutSeconds, Path spoolDir, Duration leaseWait, int insertsInFlight,
                           int chunkMegabytes, TransferSettings transfer) {

    /**
     * Fails (IllegalArgumentException) unless the token's reference resolves: checked before a start and before the
     * first table is made; the value is not kept.
     */
    public void checkToken() {
        SecretRef.resolve(LoadParameters.TOKEN_REF, tokenRef, true);
    }

    /** Where the load writes. */
    public ClickHouseTarget clickhouse() {
        return new ClickHouseTarget(clickhouseUrl, clickhouseUser, clickhousePasswordRef, clickhouseDataSource, clickhouseDatabase,
                clickhouseCluster, clickhouseClusterHttpPortOffset);
    }

    /** Every slice of the load in a stable order: by day, then application, then source. */
    public List<Slice> slices() {
        List<Slice> slices = new ArrayList<>();
        for (LocalDate d = dateSince; !d.isAfter(dateUntil); d = d.plusDays(1)) {
            for (long app : applicationIds) {
                for (String source : sources) {
                    if (FieldCatalog.get().source(source).orElseThrow().datesRequired()) {
                        slices.add(new Slice(app, source, d));
                    }
                }
            }
        }
        for (long app : applicationIds) {
            for (String source : sources) {
                if (!FieldCatalog.get().source(source).orElseThrow().datesRequired()) {
                    slices.add(new Slice(app, source, null));
                }
            }
        }
        return slices;
    }
}
