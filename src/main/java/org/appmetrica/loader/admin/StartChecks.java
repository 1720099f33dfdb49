package org.appmetrica.loader.admin;

import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.ClickHouseTarget;
import org.appmetrica.loader.config.SecretRef;
import org.appmetrica.loader.logsapi.ApplicationsList;
import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.model.LoadSettings;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * What a load needs before an execution is created: ClickHouse answers with the URL and credentials, the Logs API
 * accepts the token (its management API answers 401 to a bad one), and the token can read every application. A
 * launcher calls {@link #require} (a failure: IllegalArgumentException with the cause); the console's "Test connection"
 * shows every {@link Result}.
 */
public final class StartChecks {

    public static final String CLICKHOUSE = "clickhouse";
    public static final String TOKEN = "token";
    public static final String APPLICATIONS = "applications";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** One check: its name, whether it passed, and what it found (the cause of a failure). */
    public record Result(String check, boolean ok, String message) {
    }

    private StartChecks() {
    }

    /** Runs the checks for a load's settings; throws with the first failure's message. */
    public static void require(LoadSettings settings) {
        for (Result r : run(settings)) {
            if (!r.ok()) {
                throw new IllegalArgumentException(r.message());
            }
        }
    }

    public static List<Result> run(LoadSettings s) {
        return run(s.apiUrl(), s.tokenRef(), s.applicationIds(), s.clickhouse());
    }

    /**
     * Every check, in order; the applications are checked only once the token is accepted. ClickHouse is asked on a
     * thread of its own meanwhile, so that the two servers answer at once instead of one after the other — unless it is
     * reached through a data source (a server's JNDI name, looked up on the caller's thread).
     */
    public static List<Result> run(String apiUrl, String tokenRef, List<Long> applicationIds, ClickHouseTarget target) {
        if (target.dataSource() != null) {
            List<Result> results = new ArrayList<>();
            results.add(clickhouse(target));
            results.addAll(logsApi(apiUrl, tokenRef, applicationIds));
            return results;
        }
        FutureTask<Result> clickhouse = new FutureTask<>(() -> clickhouse(target));
        Thread thread = new Thread(clickhouse, "start-check clickhouse");
        thread.setDaemon(true);
        thread.start();
        List<Result> api = logsApi(apiUrl, tokenRef, applicationIds);
        List<Result> results = new ArrayList<>();
        try {
            results.add(clickhouse.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            results.add(new Result(CLICKHOUSE, false, "interrupted"));
        } catch (ExecutionException e) {
            results.add(new Result(CLICKHOUSE, false, "the check failed: " + SecretMask.text(rootMessage(e))));
        }
        results.addAll(api);
        return results;
    }

    private static List<Result> logsApi(String apiUrl, String tokenRef, List<Long> applicationIds) {
        List<Result> results = new ArrayList<>();
        String token;
        try {
            token = SecretRef.resolve(LoadParameters.TOKEN_REF, tokenRef, true);
        } catch (IllegalArgumentException e) {
            results.add(new Result(TOKEN, false, SecretMask.text(e.getMessage())));
            return results;
        }
        List<ApplicationsList.Application> listed;
        try {
            listed = ApplicationsList.fetch(apiUrl, token, TIMEOUT);
        } catch (ApplicationsList.Refused e) {
            if (e.status() == 401 || e.status() == 403) {
                results.add(new Result(TOKEN, false, "the Logs API at " + apiUrl + " refused the token (HTTP " + e.status()
                        + "): check tokenRef, or get a new token"));
            } else {
                // no management API there (404), or it is busy (5xx): the export requests will tell, with their retries
                results.add(new Result(TOKEN, true, apiUrl + " offers no management API (HTTP " + e.status()
                        + "): the token and the applications are checked by the first export request"));
            }
            return results;
        } catch (IOException e) {
            boolean unreachable = unreachable(e);
            results.add(new Result(TOKEN, !unreachable, unreachable ? "the Logs API at " + apiUrl + " does not answer: " + rootMessage(e)
                    : apiUrl + " offers no management API (" + rootMessage(e) + "): the token is checked by the first export request"));
            return results;
        }
        results.add(new Result(TOKEN, true, "the token is accepted" + (listed.isEmpty() ? "" : "; it lists " + listed.size() + " application(s)")));
        results.add(applications(apiUrl, token, applicationIds, listed));
        return results;
    }

    private static Result clickhouse(ClickHouseTarget target) {
        String where = target.dataSource() != null ? "the data source " + target.dataSource() : "ClickHouse at " + target.url();
        // the load creates its database: the check must not need it
        ClickHouseTarget server = new ClickHouseTarget(target.url(), target.user(), target.passwordRef(), target.dataSource(), "default");
        try (ClickHouseConnection ch = server.connect()) {
            String version = ch.queryValue("SELECT version()");
            return new Result(CLICKHOUSE, true, where + " answers (version " + version + ")");
        } catch (RuntimeException e) {
            return new Result(CLICKHOUSE, false, where + " does not answer with the given user and password: " + SecretMask.text(rootMessage(e)));
        }
    }

    /** Those not in the token's list are asked one by one: a token may read applications it does not list (an agency's). */
    private static Result applications(String apiUrl, String token, List<Long> ids, List<ApplicationsList.Application> listed) {
        Set<Long> known = new TreeSet<>();
        listed.forEach(a -> known.add(a.id()));
        Set<Long> refused = new TreeSet<>();
        for (long id : ids) {
            if (known.contains(id)) {
                continue;
            }
            try {
                // the loader's own small client: the JDK's HttpClient loads some 700 classes, TLS set up even for http
                if (ApplicationsList.status(apiUrl, token, id, TIMEOUT) != 200) {
                    refused.add(id);
                }
            } catch (IOException e) {
                return new Result(APPLICATIONS, false, "the Logs API at " + apiUrl + " does not answer: " + rootMessage(e));
            }
        }
        if (!refused.isEmpty()) {
            return new Result(APPLICATIONS, false, "the token cannot read application(s) " + refused
                    + (known.isEmpty() ? "" : "; it can read " + known));
        }
        return new Result(APPLICATIONS, true, "the token can read application(s) " + new TreeSet<>(ids));
    }

    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.NoRouteToHostException || t instanceof java.net.http.HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause, which says why ("Connection refused"), with its class when it has no message. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null || m.isBlank() ? root.getClass().getSimpleName() : m;
    }
}
