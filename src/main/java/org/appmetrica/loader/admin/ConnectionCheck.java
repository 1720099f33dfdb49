package org.appmetrica.loader.admin;

import org.appmetrica.loader.clickhouse.ClickHouseTarget;
import org.appmetrica.loader.connection.Connection;
import org.appmetrica.loader.model.LoadParameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The console's "Test connection": the allow-lists, then {@link StartChecks} for a connection as the form holds it
 * (saved or not). Answers every check with what it found, so the page says which one failed.
 */
final class ConnectionCheck {

    static final String ALLOWED = "allowed";

    /** What the console's page shows: whether all passed, and each check in order. */
    public record Answer(boolean ok, List<StartChecks.Result> checks) {
    }

    private ConnectionCheck() {
    }

    static Answer test(Connection c, Properties startDefaults, AccessPolicy policy) {
        if (c.applications() == null || c.applications().isEmpty() || c.sources() == null || c.sources().isEmpty() || c.target() == null) {
            throw AdminException.badRequest("to test a connection, give its applications, sources and target ClickHouse");
        }
        Properties p = c.jobParameters(startDefaults);
        List<StartChecks.Result> results = new ArrayList<>();
        try {
            policy.check(p);
            results.add(new StartChecks.Result(ALLOWED, true, "this console may use the Logs API URL, the token reference and the ClickHouse"));
        } catch (AdminException e) {
            results.add(new StartChecks.Result(ALLOWED, false, e.getMessage()));
        }
        if (results.get(0).ok()) {
            ClickHouseTarget target = new ClickHouseTarget(p.getProperty(LoadParameters.CLICKHOUSE_URL, LoadParameters.Defaults.CLICKHOUSE_URL),
                    p.getProperty(LoadParameters.CLICKHOUSE_USER, LoadParameters.Defaults.CLICKHOUSE_USER),
                    p.getProperty(LoadParameters.CLICKHOUSE_PASSWORD_REF, LoadParameters.Defaults.CLICKHOUSE_PASSWORD_REF),
                    p.getProperty(LoadParameters.CLICKHOUSE_DATA_SOURCE), p.getProperty(LoadParameters.CLICKHOUSE_DATABASE, "default"));
            results.addAll(StartChecks.run(p.getProperty(LoadParameters.API_URL, LoadParameters.Defaults.API_URL),
                    p.getProperty(LoadParameters.TOKEN_REF, LoadParameters.Defaults.TOKEN_REF), c.applications(), target));
        }
        return new Answer(results.stream().allMatch(StartChecks.Result::ok), List.copyOf(results));
    }
}
