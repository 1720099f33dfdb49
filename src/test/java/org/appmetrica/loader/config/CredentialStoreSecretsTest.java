package org.appmetrica.loader.config;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CredentialStoreSecrets reaches WildFly's service container and Elytron's credential store by reflection: these tests
 * fail when a WildFly or Elytron upgrade renames a class or changes a method it calls. Elytron is on the test class
 * path; the server's modules are read from the wildfly-dist archive the WildFly ITs use (in the local Maven repository).
 */
class CredentialStoreSecretsTest {

    @Test
    void elytronHasTheCredentialStoreMethodsCalled() throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        Class<?> store = Class.forName(CredentialStoreSecrets.CREDENTIAL_STORE, false, loader);
        Class<?> credential = Class.forName(CredentialStoreSecrets.PASSWORD_CREDENTIAL, false, loader);
        Class<?> clear = Class.forName(CredentialStoreSecrets.CLEAR_PASSWORD, false, loader);
        assertEquals(boolean.class, store.getMethod("exists", String.class, Class.class).getReturnType());
        store.getMethod("retrieve", String.class, Class.class);
        credential.getMethod("getPassword");
        assertEquals(char[].class, clear.getMethod("getPassword").getReturnType());
    }

    @Test
    void wildFlyHasTheServiceContainerMethodsCalled() throws Exception {
        try (URLClassLoader server = serverModules("org/jboss/msc/main/jboss-msc-", "org/jboss/as/server/main/wildfly-server-")) {
            Class<?> container = Class.forName(CredentialStoreSecrets.CURRENT_SERVICE_CONTAINER, false, server);
            Class<?> name = Class.forName(CredentialStoreSecrets.SERVICE_NAME, false, server);
            Class<?> registry = Class.forName(CredentialStoreSecrets.SERVICE_REGISTRY, false, server);
            Class<?> controller = Class.forName(CredentialStoreSecrets.SERVICE_CONTROLLER, false, server);
            Class<?> mode = Class.forName(CredentialStoreSecrets.SERVICE_CONTROLLER_MODE, false, server);

            Method getContainer = container.getMethod("getServiceContainer");
            assertTrue(Modifier.isStatic(getContainer.getModifiers()));
            assertTrue(registry.isAssignableFrom(getContainer.getReturnType()), getContainer.getReturnType().getName());
            assertTrue(Modifier.isStatic(name.getMethod("parse", String.class).getModifiers()));
            assertTrue(controller.isAssignableFrom(registry.getMethod("getService", name).getReturnType()));
            assertEquals(mode, controller.getMethod("getMode").getReturnType());
            controller.getMethod("setMode", mode);
            controller.getMethod("awaitValue", long.class, TimeUnit.class);
            List<String> modes = Arrays.stream(mode.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList();
            assertTrue(modes.containsAll(List.of("ACTIVE", "PASSIVE")), modes.toString());
        }
    }

    /** The jars whose paths in the distribution start with the prefixes given, unpacked to a temporary directory. */
    private static URLClassLoader serverModules(String... prefixes) throws IOException {
        String property = System.getProperty("wildfly.dist"); // set by the POM
        Assumptions.assumeTrue(property != null, "no wildfly.dist: run with Maven");
        Path dist = Path.of(property);
        Assumptions.assumeTrue(Files.isRegularFile(dist), "no " + dist + ": build once without -Dwildfly.skip=true to fetch it");
        Path dir = Files.createTempDirectory("wildfly-modules");
        List<URL> jars = new ArrayList<>();
        try (ZipFile zip = new ZipFile(dist.toFile())) {
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry e = entries.nextElement();
                String path = e.getName().replaceFirst("^[^/]+/modules/system/layers/base/", "");
                for (String prefix : prefixes) {
                    if (path.startsWith(prefix) && path.endsWith(".jar")) {
                        Path jar = dir.resolve(Path.of(path).getFileName());
                        try (InputStream in = zip.getInputStream(e)) {
                            Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
                        }
                        jar.toFile().deleteOnExit();
                        jars.add(jar.toUri().toURL());
                    }
                }
            }
        }
        dir.toFile().deleteOnExit();
        assertEquals(prefixes.length, jars.size(), "the distribution's modules: " + jars);
        return new URLClassLoader(jars.toArray(new URL[0]), CredentialStoreSecretsTest.class.getClassLoader());
    }
}
