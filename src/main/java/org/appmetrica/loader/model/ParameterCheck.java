package org.appmetrica.loader.model;

import java.util.List;
import java.util.Properties;

/**
 * The one validation of a load's parameters, for every way a load starts: the launcher (CLI, REST, connections) and
 * the job's own listener (WildFly's start-job). A refusal's message names the parameter and the expected form; a
 * secret typed where a reference belongs is not repeated in it.
 */
public final class ParameterCheck {

    public static final String HIDDEN = "(hidden)";

    private ParameterCheck() {
    }

    /** Parses the load's own parameters; throws IllegalArgumentException with the message to show. */
    public static LoadSettings parse(Properties p) {
        try {
            return LoadParameters.parse(p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(masked(e.getMessage(), p), e);
        }
    }

    /** {@code message} with the raw value of tokenRef or clickhousePasswordRef hidden when it is no reference. */
    public static String masked(String message, Properties p) {
        String m = message;
        for (String name : List.of(LoadParameters.TOKEN_REF, LoadParameters.CLICKHOUSE_PASSWORD_REF)) {
            String value = p.getProperty(name);
            if (value != null && value.length() >= 4 && m != null && m.contains(value) && !value.matches("(env|file|prop|cs):.*")) {
                m = m.replace(value, HIDDEN);
            }
        }
        return m;
    }
}
