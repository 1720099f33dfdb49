package org.appmetrica.loader.job;

import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.ClickHouseSettings;
import org.appmetrica.loader.config.SecretRef;

import java.time.Duration;

/** Opens the ClickHouse connection a load writes to; the password is resolved from its reference here only. */
public final class ClickHouseTarget {

    private ClickHouseTarget() {
    }

    public static ClickHouseConnection connect(LoadSettings settings) {
        String password = SecretRef.resolve(LoadParameters.CLICKHOUSE_PASSWORD_REF, settings.clickhousePasswordRef(), false);
        return ClickHouseConnection.open(new ClickHouseSettings(ClickHouseSettings.endpointFromUrl(settings.clickhouseUrl()),
                settings.clickhouseUser(), password, settings.clickhouseDatabase(), Duration.ofMinutes(10)));
    }
}
