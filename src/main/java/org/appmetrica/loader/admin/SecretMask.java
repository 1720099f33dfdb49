package org.appmetrica.loader.admin;

import org.appmetrica.loader.model.LoadParameter;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What the admin API does so that it never serves a secret. Job parameters hold secret references
 * ({@code tokenRef=env:APPMETRICA_TOKEN}); those are shown as they are and never resolved. As a second line of defence,
 * a parameter whose name looks like a secret (a job started elsewhere, e.g. by WildFly's start-job, is not checked by
 * the loader's own validation before it is stored) has its value hidden, and credentials inside URLs
 * ({@code https://user:pw@host}, {@code ?password=…}) are cut out of every value and message.
 */
public final class SecretMask {

    public static final String HIDDEN = "(hidden)";

    private static final Pattern URL_USERINFO = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://)[^/@\\s]+@");
    private static final Pattern SECRET_QUERY = Pattern.compile("(?i)((?:password|passwd|token|secret|access_token|oauth_token)=)[^&;\\s,}\"']*");
    private static final Pattern OAUTH_HEADER = Pattern.compile("(?i)((?:authorization:\\s*)?(?:oauth|bearer|basic)\\s+)[A-Za-z0-9._~+/=-]{8,}");

    private SecretMask() {
    }

    /** The one rule for names that look like a secret: {@link LoadParameter#secretLikeName}. */
    public static boolean secretName(String name) {
        return LoadParameter.secretLikeName(name);
    }

    /** The parameters as the API shows them: sorted, secret-looking names hidden, URL credentials cut out. */
    public static Map<String, String> parameters(Properties p) {
        Map<String, String> shown = new TreeMap<>();
        if (p != null) {
            for (String name : p.stringPropertyNames()) {
                shown.put(name, secretName(name) ? HIDDEN : text(p.getProperty(name)));
            }
        }
        return shown;
    }

    public static Map<String, String> parameters(Map<String, String> p) {
        Properties props = new Properties();
        p.forEach(props::setProperty);
        return parameters(props);
    }

    /** A value or message with credentials in URLs, query strings and authorization headers replaced by {@code ***}. */
    public static String text(String s) {
        if (s == null) {
            return null;
        }
        String r = URL_USERINFO.matcher(s).replaceAll("$1***@");
        r = SECRET_QUERY.matcher(r).replaceAll("$1***");
        return OAUTH_HEADER.matcher(r).replaceAll("$1***");
    }
}
