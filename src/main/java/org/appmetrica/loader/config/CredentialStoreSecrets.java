package org.appmetrica.loader.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Reads a clear-text secret from an Elytron credential store of the WildFly server the job runs in
 * ({@code /subsystem=elytron/credential-store=STORE}, alias {@code ALIAS}), for secret references of the form
 * {@code cs:STORE/ALIAS}.
 * <p>WildFly offers applications no public API for its credential stores; the store is the value of the server's
 * {@code org.wildfly.security.credential-store.STORE} service. It is reached by reflection, so that neither the
 * standalone runtime nor the compile class path needs WildFly classes: the deployment makes the modules
 * {@code org.jboss.as.server}, {@code org.jboss.msc} and {@code org.wildfly.security.elytron} visible
 * (WEB-INF/jboss-deployment-structure.xml). The secret is read when needed and never cached or logged.
 */
public final class CredentialStoreSecrets {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final String SERVICE_PREFIX = "org.wildfly.security.credential-store.";
    // The classes reached by reflection; CredentialStoreSecretsTest checks them and the methods called on them.
    static final String CURRENT_SERVICE_CONTAINER = "org.jboss.as.server.CurrentServiceContainer";
    static final String SERVICE_NAME = "org.jboss.msc.service.ServiceName";
    static final String SERVICE_REGISTRY = "org.jboss.msc.service.ServiceRegistry";
    static final String SERVICE_CONTROLLER = "org.jboss.msc.service.ServiceController";
    static final String SERVICE_CONTROLLER_MODE = SERVICE_CONTROLLER + "$Mode";
    static final String CREDENTIAL_STORE = "org.wildfly.security.credential.store.CredentialStore";
    static final String PASSWORD_CREDENTIAL = "org.wildfly.security.credential.PasswordCredential";
    static final String CLEAR_PASSWORD = "org.wildfly.security.password.interfaces.ClearPassword";

    private CredentialStoreSecrets() {
    }

    /** A store name and an alias, as in {@code STORE/ALIAS}. */
    public record Location(String store, String alias) {
    }

    /** Checks the {@code STORE/ALIAS} form; both names are plain (letters, digits, {@code _ . -}). */
    public static Location parse(String parameter, String storeAndAlias) {
        int slash = storeAndAlias.indexOf('/');
        String store = slash < 0 ? "" : storeAndAlias.substring(0, slash);
        String alias = slash < 0 ? "" : storeAndAlias.substring(slash + 1);
        if (!NAME.matcher(store).matches() || !NAME.matcher(alias).matches()) {
            throw new IllegalArgumentException("job parameter " + parameter // not the value: it may be a pasted secret
                    + " is not a credential store reference: expected cs:STORE/ALIAS, like cs:appmetrica/appmetrica-token");
        }
        return new Location(store, alias);
    }

    /** The alias's clear-text password, or null when the alias does not exist. */
    public static String read(String parameter, String storeAndAlias) {
        Location at = parse(parameter, storeAndAlias);
        Object store = credentialStore(parameter, at.store());
        try {
            ClassLoader elytron = store.getClass().getClassLoader();
            Class<?> credentialStoreClass = Class.forName(CREDENTIAL_STORE, true, elytron);
            Class<?> passwordCredential = Class.forName(PASSWORD_CREDENTIAL, true, elytron);
            Class<?> clearPassword = Class.forName(CLEAR_PASSWORD, true, elytron);
            if (!(Boolean) credentialStoreClass.getMethod("exists", String.class, Class.class).invoke(store, at.alias(), passwordCredential)) {
                return null;
            }
            Object credential = credentialStoreClass.getMethod("retrieve", String.class, Class.class).invoke(store, at.alias(), passwordCredential);
            if (credential == null) {
                return null;
            }
            Object password = passwordCredential.getMethod("getPassword").invoke(credential);
            if (!clearPassword.isInstance(password)) {
                throw new IllegalArgumentException("the secret named by " + parameter + "=cs:" + storeAndAlias
                        + " is not a clear-text password: add it with add-alias(alias=" + at.alias() + ", secret-value=...)");
            }
            return new String((char[]) clearPassword.getMethod("getPassword").invoke(password));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalArgumentException("cannot read the secret named by " + parameter + "=cs:" + storeAndAlias + ": " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot read the secret named by " + parameter + "=cs:" + storeAndAlias + ": " + e, e);
        }
    }

    private static Object credentialStore(String parameter, String name) {
        String ref = parameter + "=cs:" + name + "/…";
        ClassLoader loader = CredentialStoreSecrets.class.getClassLoader();
        Object registry;
        Class<?> serviceName;
        Class<?> serviceRegistry;
        try {
            registry = Class.forName(CURRENT_SERVICE_CONTAINER, true, loader).getMethod("getServiceContainer").invoke(null);
            serviceName = Class.forName(SERVICE_NAME, true, loader);
            serviceRegistry = Class.forName(SERVICE_REGISTRY, true, loader);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalArgumentException("the secret reference " + ref + " names a WildFly credential store, but the job does not run "
                    + "in WildFly (or the deployment lacks its module dependencies): use env:, file: or prop: instead");
        }
        if (registry == null) {
            throw new IllegalArgumentException("the secret reference " + ref + " names a WildFly credential store, but the server's service "
                    + "registry is not available");
        }
        try {
            Object service = serviceName.getMethod("parse", String.class).invoke(null, SERVICE_PREFIX + name);
            Object controller = serviceRegistry.getMethod("getService", serviceName).invoke(registry, service);
            if (controller == null) {
                throw new IllegalArgumentException("the secret reference " + ref + " names credential store '" + name + "', which the server "
                        + "does not have: create it with /subsystem=elytron/credential-store=" + name + ":add(...)");
            }
            Class<?> controllerClass = Class.forName(SERVICE_CONTROLLER, true, serviceName.getClassLoader());
            Class<?> mode = Class.forName(SERVICE_CONTROLLER_MODE, true, serviceName.getClassLoader());
            // A store nothing else uses may be on demand and not started: ask for it and wait until it is up.
            Object active = enumConstant(mode, "ACTIVE");
            Object current = controllerClass.getMethod("getMode").invoke(controller);
            if (current != active && current != enumConstant(mode, "PASSIVE")) {
                controllerClass.getMethod("setMode", mode).invoke(controller, active);
            }
            Method await = controllerClass.getMethod("awaitValue", long.class, TimeUnit.class);
            return await.invoke(controller, 30L, TimeUnit.SECONDS);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalArgumentException("cannot open credential store '" + name + "' for " + parameter + ": " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot open credential store '" + name + "' for " + parameter + ": " + e, e);
        }
    }

    private static Object enumConstant(Class<?> type, String name) {
        for (Object c : type.getEnumConstants()) {
            if (((Enum<?>) c).name().equals(name)) {
                return c;
            }
        }
        throw new IllegalStateException(type + " has no constant " + name);
    }
}
