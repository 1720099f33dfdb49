package org.appmetrica.loader.admin;

import org.appmetrica.loader.clickhouse.ClickHouseSettings;
import org.appmetrica.loader.model.LoadParameters;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * What loads started through the console or its REST API may reach: the operator's allow-lists of Logs API URLs,
 * ClickHouse endpoints and secret references, set where the console or the deployment is configured, never in job
 * parameters. Without them a console login would be enough to send the service's secrets anywhere, e.g. a private key
 * named by {@code tokenRef=file:…} to {@code apiUrl=http://elsewhere} in the Authorization header. A load outside the
 * lists is refused with 403 naming the parameter, before any secret or file is looked at. The CLI runs as its user and
 * has no such lists.
 */
public final class AccessPolicy {

    private final Set<String> apiUrls;
    private final Set<String> clickhouseEndpoints;
    private final Set<String> secretRefs;
    private final Path tokenFiles;

    private AccessPolicy(Set<String> apiUrls, Set<String> clickhouseEndpoints, Set<String> secretRefs, Path tokenFiles) {
        this.apiUrls = apiUrls;
        this.clickhouseEndpoints = clickhouseEndpoints;
        this.secretRefs = secretRefs;
        this.tokenFiles = tokenFiles;
    }

    /** No limits: the CLI's own admin commands. */
    public static AccessPolicy unrestricted() {
        return new AccessPolicy(null, null, null, null);
    }

    /**
     * The defaults (the official Logs API, the default ClickHouse endpoint, the default token and password references)
     * plus what the operator added.
     */
    public static AccessPolicy of(Collection<String> extraApiUrls, Collection<String> extraClickHouseUrls, Collection<String> extraSecretRefs) {
        Set<String> api = new LinkedHashSet<>();
        api.add(apiUrl(LoadParameters.Defaults.API_URL));
        extraApiUrls.forEach(u -> api.add(apiUrl(u)));
        Set<String> clickhouse = new LinkedHashSet<>();
        clickhouse.add(ClickHouseSettings.endpointFromUrl(LoadParameters.Defaults.CLICKHOUSE_URL));
        extraClickHouseUrls.forEach(u -> clickhouse.add(ClickHouseSettings.endpointFromUrl(u)));
        Set<String> secrets = new LinkedHashSet<>(Set.of(LoadParameters.Defaults.TOKEN_REF, LoadParameters.Defaults.CLICKHOUSE_PASSWORD_REF));
        extraSecretRefs.forEach(r -> secrets.add(r.trim()));
        return new AccessPolicy(Set.copyOf(api), Set.copyOf(clickhouse), Set.copyOf(secrets), null);
    }

    /**
     * The same lists, and also the token files the console itself writes there ({@link TokenFiles}): a reference
     * {@code file:DIR/token-NAME} is allowed without the operator listing it, as the console made it from a pasted token.
     */
    public AccessPolicy withTokenFiles(Path directory) {
        return new AccessPolicy(apiUrls, clickhouseEndpoints, secretRefs, directory.toAbsolutePath().normalize());
    }

    /** 403 unless the Logs API URL is allowed (as for a load's apiUrl). */
    void checkApiUrl(String url) {
        if (apiUrls != null && !apiUrls.contains(apiUrl(url))) {
            throw refused(LoadParameters.API_URL, "this Logs API URL", "--allow-api-url");
        }
    }

    /** 403 unless the secret reference is allowed (as for a load's tokenRef or clickhousePasswordRef). */
    void checkSecret(String parameter, String ref) {
        // the console's token files only as a token: a ClickHouse password taken from one would send the token there
        boolean ownToken = LoadParameters.TOKEN_REF.equals(parameter) && ownTokenFile(ref);
        if (secretRefs != null && !secretRefs.contains(ref) && !ownToken) {
            throw refused(parameter, "this secret reference", "--allow-secret");
        }
    }

    /** A file: reference to one of the console's own token files (by its normalised path, so no ../ leads out). */
    private boolean ownTokenFile(String ref) {
        if (tokenFiles == null || ref == null || !ref.startsWith("file:")) {
            return false;
        }
        try {
            Path file = Path.of(ref.substring("file:".length()));
            return file.isAbsolute() && tokenFiles.equals(file.normalize().getParent())
                    && TokenFiles.isFileName(file.normalize().getFileName().toString());
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** 403 naming the first parameter outside the lists (defaults count as given). */
    void check(Properties p) {
        checkApiUrl(LoadParameters.value(p, LoadParameters.API_URL, LoadParameters.Defaults.API_URL));
        if (clickhouseEndpoints != null && isEmpty(p.getProperty(LoadParameters.CLICKHOUSE_DATA_SOURCE))) {
            String endpoint;
            try {
                endpoint = ClickHouseSettings.endpointFromUrl(LoadParameters.value(p, LoadParameters.CLICKHOUSE_URL, LoadParameters.Defaults.CLICKHOUSE_URL));
            } catch (IllegalArgumentException e) {
                endpoint = null; // not a URL at all: the parameter check says so (400)
            }
            if (endpoint != null && !clickhouseEndpoints.contains(endpoint)) {
                throw refused(LoadParameters.CLICKHOUSE_URL, "this ClickHouse endpoint", "--allow-clickhouse");
            }
        }
        if (secretRefs != null) {
            for (String[] ref : new String[][] {{LoadParameters.TOKEN_REF, LoadParameters.Defaults.TOKEN_REF},
                    {LoadParameters.CLICKHOUSE_PASSWORD_REF, LoadParameters.Defaults.CLICKHOUSE_PASSWORD_REF}}) {
                checkSecret(ref[0], LoadParameters.value(p, ref[0], ref[1]));
            }
        }
    }

    private static AdminException refused(String parameter, String what, String option) {
        return new AdminException(403, "not-allowed", "job parameter " + parameter + ": " + what + " is not among those the operator "
                + "allowed for loads started here (console option " + option + ", or the deployment's appmetrica.allow.* properties)");
    }

    /** scheme://host[:port][/path] without a trailing slash, lower-case scheme and host; the text itself when not a URL. */
    static String apiUrl(String url) {
        try {
            URI u = new URI(url.trim());
            if (u.getScheme() == null || u.getHost() == null || u.getRawUserInfo() != null || u.getRawQuery() != null) {
                return url.trim();
            }
            String path = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/+$", "");
            return u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getHost().toLowerCase(Locale.ROOT)
                    + (u.getPort() > 0 ? ":" + u.getPort() : "") + path;
        } catch (URISyntaxException e) {
            return url.trim();
        }
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isBlank();
    }
}
