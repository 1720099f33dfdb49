package org.appmetrica.loader.admin;

import org.appmetrica.loader.clickhouse.ClickHouseSettings;
import org.appmetrica.loader.model.LoadParameter;
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
    private final Set<String> tokenRefs;
    private final Set<String> passwordRefs;
    private final Set<Path> spoolDirs;
    private final Path tokenFiles;

    private AccessPolicy(Set<String> apiUrls, Set<String> clickhouseEndpoints, Set<String> tokenRefs, Set<String> passwordRefs,
                         Set<Path> spoolDirs, Path tokenFiles) {
        this.apiUrls = apiUrls;
        this.clickhouseEndpoints = clickhouseEndpoints;
        this.tokenRefs = tokenRefs;
        this.passwordRefs = passwordRefs;
        this.spoolDirs = spoolDirs;
        this.tokenFiles = tokenFiles;
    }

    /** No limits: the CLI's own admin commands. */
    public static AccessPolicy unrestricted() {
        return new AccessPolicy(null, null, null, null, null, null);
    }

    /**
     * The defaults (the official Logs API, the default ClickHouse endpoint, {@code env:APPMETRICA_TOKEN} as a token only,
     * {@code env:CLICKHOUSE_PASSWORD} as a ClickHouse password only, the default spool directory) plus what the operator
     * added. A secret reference is allowed in the roles it is listed for, never in the other: a ClickHouse password sent
     * as a token goes to the Logs API, a token sent as a password goes to ClickHouse.
     */
    public static AccessPolicy of(Collection<String> extraApiUrls, Collection<String> extraClickHouseUrls, Collection<String> extraTokenRefs,
                                  Collection<String> extraPasswordRefs) {
        Set<String> api = new LinkedHashSet<>();
        api.add(apiUrl(LoadParameters.Defaults.API_URL));
        extraApiUrls.forEach(u -> api.add(apiUrl(u)));
        Set<String> clickhouse = new LinkedHashSet<>();
        clickhouse.add(ClickHouseSettings.endpointFromUrl(LoadParameters.Defaults.CLICKHOUSE_URL));
        extraClickHouseUrls.forEach(u -> clickhouse.add(ClickHouseSettings.endpointFromUrl(u)));
        Set<String> tokens = new LinkedHashSet<>(Set.of(LoadParameters.Defaults.TOKEN_REF));
        extraTokenRefs.forEach(r -> tokens.add(r.trim()));
        Set<String> passwords = new LinkedHashSet<>(Set.of(LoadParameters.Defaults.CLICKHOUSE_PASSWORD_REF));
        extraPasswordRefs.forEach(r -> passwords.add(r.trim()));
        return new AccessPolicy(Set.copyOf(api), Set.copyOf(clickhouse), Set.copyOf(tokens), Set.copyOf(passwords),
                Set.of(spoolDir(LoadParameters.Defaults.SPOOL_DIR)), null);
    }

    /**
     * The same lists, and also the token files the console itself writes there ({@link TokenFiles}): a reference
     * {@code file:DIR/token-NAME} is allowed without the operator listing it, as the console made it from a pasted token.
     */
    public AccessPolicy withTokenFiles(Path directory) {
        return new AccessPolicy(apiUrls, clickhouseEndpoints, tokenRefs, passwordRefs, spoolDirs, directory.toAbsolutePath().normalize());
    }

    /** The same lists, and these spool directories (the console's own, {@code --allow-spool-dir}) besides the default one. */
    public AccessPolicy withSpoolDirs(Collection<String> directories) {
        Set<Path> dirs = new LinkedHashSet<>(spoolDirs);
        directories.forEach(d -> dirs.add(spoolDir(d)));
        return new AccessPolicy(apiUrls, clickhouseEndpoints, tokenRefs, passwordRefs, Set.copyOf(dirs), tokenFiles);
    }

    /** 403 unless the Logs API URL is allowed (as for a load's apiUrl). */
    void checkApiUrl(String url) {
        if (apiUrls != null && !apiUrls.contains(apiUrl(url))) {
            throw refused(LoadParameter.API_URL, "this Logs API URL");
        }
    }

    /** 403 unless the secret reference is allowed in the role of {@code parameter} (tokenRef or clickhousePasswordRef). */
    void checkSecret(String parameter, String ref) {
        if (tokenRefs == null) {
            return;
        }
        boolean token = LoadParameters.TOKEN_REF.equals(parameter);
        // the console's token files only as a token: a ClickHouse password taken from one would send the token there
        boolean allowed = token ? tokenRefs.contains(ref) || ownTokenFile(ref) : passwordRefs.contains(ref);
        if (!allowed) {
            boolean otherRole = token ? passwordRefs.contains(ref) : tokenRefs.contains(ref) || ownTokenFile(ref);
            throw refused(token ? LoadParameter.TOKEN_REF : LoadParameter.CLICKHOUSE_PASSWORD_REF, otherRole
                    ? "this secret reference is allowed as " + (token ? "a ClickHouse password" : "a Logs API token") + " only, and"
                    : "this secret reference");
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

    /**
     * 403 naming the first parameter outside what a load started here may set (defaults count as given): those of
     * {@link LoadParameter.Access#OPERATOR} not at all, those of {@link LoadParameter.Access#HELD} only to listed values.
     */
    void check(Properties p) {
        if (apiUrls == null) {
            return;
        }
        for (LoadParameter parameter : LoadParameter.values()) {
            if (parameter.access() == LoadParameter.Access.OPERATOR && !isEmpty(p.getProperty(parameter.key()))) {
                throw new AdminException(403, "not-allowed", "job parameter " + parameter.key() + " is set by the operator only "
                        + "(the CLI's run, WildFly's start-job), not by loads started here");
            }
            if (parameter.access() == LoadParameter.Access.HELD) {
                checkHeld(parameter, p);
            }
        }
    }

    private void checkHeld(LoadParameter parameter, Properties p) {
        String value = parameter.value(p);
        switch (parameter) {
            case API_URL -> checkApiUrl(value);
            case TOKEN_REF, CLICKHOUSE_PASSWORD_REF -> checkSecret(parameter.key(), value);
            case CLICKHOUSE_URL -> {
                if (isEmpty(p.getProperty(LoadParameters.CLICKHOUSE_DATA_SOURCE)) && !clickhouseEndpoints.contains(endpoint(value))) {
                    throw refused(parameter, "this ClickHouse endpoint");
                }
            }
            case SPOOL_DIR -> {
                if (!spoolDirs.contains(spoolDir(value))) {
                    throw refused(parameter, "this directory");
                }
            }
            default -> throw new IllegalStateException("no operator's list for " + parameter.key());
        }
    }

    /** The endpoint of a ClickHouse URL; not a URL at all: the text, refused unless listed (the parameter check says 400). */
    private static String endpoint(String url) {
        try {
            return ClickHouseSettings.endpointFromUrl(url);
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    /** Absolute and normalised, so that {@code ../} leads nowhere else; not a path at all: a path that matches nothing. */
    private static Path spoolDir(String dir) {
        try {
            return Path.of(dir.trim()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return Path.of("/nonexistent/invalid-path");
        }
    }

    /** The console option and WildFly property that add to the list of {@code parameter}. */
    private static String options(LoadParameter parameter) {
        return switch (parameter) {
            case API_URL -> "console option --allow-api-url, WildFly property appmetrica.allow.apiUrls";
            case TOKEN_REF -> "console option --allow-token-ref, WildFly property appmetrica.allow.tokenRefs";
            case CLICKHOUSE_PASSWORD_REF -> "console option --allow-clickhouse-password-ref, WildFly property appmetrica.allow.clickhousePasswordRefs";
            case CLICKHOUSE_URL -> "console option --allow-clickhouse, WildFly property appmetrica.allow.clickhouse";
            case SPOOL_DIR -> "console option --allow-spool-dir, WildFly property appmetrica.allow.spoolDirs";
            default -> "";
        };
    }

    /** The refusal names the parameter, never its value. */
    private static AdminException refused(LoadParameter parameter, String what) {
        return new AdminException(403, "not-allowed", "job parameter " + parameter.key() + ": " + what + " is not among those the operator "
                + "allowed for loads started here (" + options(parameter) + ")");
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
