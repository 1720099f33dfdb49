package org.appmetrica.loader.config;

import java.nio.file.Path;

/**
 * A secret named by reference, so that the value never becomes a job parameter:
 * {@code env:NAME} (environment variable), {@code file:/path} (a file of this process's user, mode 0600 or 0400),
 * {@code prop:NAME} (system property), {@code cs:STORE/ALIAS} (an alias of an Elytron credential store of the
 * WildFly server the job runs in; see {@link CredentialStoreSecrets}).
 */
public final class SecretRef {

    private SecretRef() {
    }

    /** Checks the reference's form without reading the secret. */
    public static void validate(String parameter, String ref) {
        if (ref == null || !(ref.startsWith("env:") || ref.startsWith("file:") || ref.startsWith("prop:") || ref.startsWith("cs:"))
                || ref.indexOf(':') == ref.length() - 1) {
            // the value is not repeated: it is often the secret itself, pasted where its reference belongs
            throw new IllegalArgumentException("job parameter " + parameter
                    + " is not a secret reference: expected env:VARIABLE, file:/path/to/file, prop:system.property"
                    + " or cs:credential-store/alias (in WildFly)");
        }
        if (ref.startsWith("cs:")) {
            CredentialStoreSecrets.parse(parameter, ref.substring(3));
        }
    }

    /**
     * Reads the secret.
     *
     * @param required when true a missing secret is an error; otherwise it resolves to ""
     */
    public static String resolve(String parameter, String ref, boolean required) {
        validate(parameter, ref);
        String name = ref.substring(ref.indexOf(':') + 1);
        String value;
        if (ref.startsWith("env:")) {
            value = System.getenv(name);
        } else if (ref.startsWith("prop:")) {
            value = System.getProperty(name);
        } else if (ref.startsWith("cs:")) {
            value = CredentialStoreSecrets.read(parameter, name);
        } else {
            value = readFile(parameter, Path.of(name));
        }
        if (value == null || value.isEmpty()) {
            if (required) {
                throw new IllegalArgumentException("the secret named by " + parameter + "=" + ref + " is not set"
                        + (ref.startsWith("env:") ? ": export " + name + "=… before starting, or name another source (file:/path, prop:name)" : ""));
            }
            return "";
        }
        return value.strip();
    }

    private static String readFile(String parameter, Path file) {
        return OwnerOnlyFile.read(file, "the secret file named by " + parameter).orElse(null);
    }
}
