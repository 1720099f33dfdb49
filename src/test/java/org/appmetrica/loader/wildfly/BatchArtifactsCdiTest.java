package org.appmetrica.loader.wildfly;

import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Named;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Fast CDI-level check of what the WAR hands to the server's CDI and JBeret, without a server: every artifact the job
 * XML names ({@code ref="..."}) is exactly one CDI bean of a package the WAR carries (not the standalone runner or the
 * simulator, which the WAR leaves out), and every injection point of those beans resolves. The beans are the
 * {@code @Named} classes of the main output, put into a Weld SE container with discovery off and JBeret's CDI extension
 * (the producers of {@code JobContext}, {@code StepContext} and {@code @BatchProperty}), as the server does.
 */
class BatchArtifactsCdiTest {

    private static final Pattern REF = Pattern.compile("ref=\"([^\"]+)\"");
    private static final List<String> NOT_IN_WAR = List.of("org.appmetrica.loader.standalone.", "org.appmetrica.loader.simulator.");

    @Test
    void everyArtifactOfTheJobXmlIsOneBeanOfTheWar() throws Exception {
        Set<String> refs = new LinkedHashSet<>();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/batch-jobs/appmetrica-load.xml")) {
            assertNotNull(in, "the job XML is on the class path under META-INF/batch-jobs");
            Matcher m = REF.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            while (m.find()) {
                refs.add(m.group(1));
            }
        }
        assertFalse(refs.isEmpty());

        List<Class<?>> named = namedClassesOfTheMainOutput();
        Weld weld = new Weld("batch-artifacts-cdi-test").disableDiscovery().addBeanClasses(named.toArray(Class[]::new))
                .addExtension(new org.jberet.creation.BatchCDIExtension());
        try (WeldContainer container = weld.initialize()) { // fails on any unsatisfied or ambiguous injection point
            BeanManager beans = container.getBeanManager();
            for (String ref : refs) {
                Set<Bean<?>> found = beans.getBeans(ref);
                assertEquals(1, found.size(), "job XML ref '" + ref + "' must be exactly one @Named bean: " + found);
                String type = found.iterator().next().getBeanClass().getName();
                assertFalse(NOT_IN_WAR.stream().anyMatch(type::startsWith), ref + " is " + type + ", which the WAR does not carry");
            }
        }
    }

    /** The {@code @Named} classes under target/classes (where this test's class path has the main output). */
    private static List<Class<?>> namedClassesOfTheMainOutput() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(org.appmetrica.loader.model.LoadParameters.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> named = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().contains("$")).toList()) {
                String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (NOT_IN_WAR.stream().anyMatch(name::startsWith)) {
                    continue;
                }
                Class<?> c = Class.forName(name, false, BatchArtifactsCdiTest.class.getClassLoader());
                if (c.isAnnotationPresent(Named.class)) {
                    named.add(c);
                }
            }
        }
        return named;
    }
}
