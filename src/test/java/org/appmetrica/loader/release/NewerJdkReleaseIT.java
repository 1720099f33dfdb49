package org.appmetrica.loader.release;

import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The release archive run by a JDK 25 or later (the build and the other tests use 17): {@code --create-cds} makes an
 * ahead-of-time cache, a run takes its classes from it, and loads without a warning on standard error (native access,
 * {@code sun.misc.Unsafe}). The JDK is {@code -Djdk25.home}, else the newest under /usr/lib/jvm; none there: skipped.
 */
class NewerJdkReleaseIT {

    private static final String TOKEN = "newer-jdk-token-61c0";
    private static final int ROWS = 120;
    private static final Pattern FEATURE = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    @RegisterExtension
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(SimulatorConfig.defaults(TOKEN).withRowsPerDay(ROWS).withReadyAfter(0).withSeed(31));
    private static Installed installed;
    private static Map<String, String> java;
    private static Installed.Result created;

    @BeforeAll
    static void install() throws Exception {
        Optional<Path> jdk = newerJdk();
        Assumptions.assumeTrue(jdk.isPresent(), "no JDK 25 or later here (-Djdk25.home)");
        Path scratch = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "release-jdk25");
        installed = Installed.unpack(Path.of(System.getProperty("release.archive")), scratch.resolve("install"));
        java = Map.of("JAVA_HOME", jdk.get().toString());
        created = installed.run(java, "--create-cds");
    }

    static Optional<Path> newerJdk() throws IOException {
        String given = System.getProperty("jdk25.home", "");
        if (!given.isEmpty()) {
            return Optional.of(Path.of(given));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(h -> !Files.isSymbolicLink(h) && feature(h) >= 25 && Files.isExecutable(h.resolve("bin/java")))
                    .max(Comparator.comparingInt(NewerJdkReleaseIT::feature));
        }
    }

    private static int feature(Path home) {
        try {
            Matcher m = FEATURE.matcher(Files.readString(home.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    @Test
    void createCdsMakesAnAheadOfTimeCacheThatARunStartsFrom() throws Exception {
        assertEquals(0, created.exitCode(), created.both());
        assertTrue(created.out().contains("ahead-of-time cache: " + installed.home.resolve("cds/appmetrica-loader.jsa")), created.both());

        Installed.Result r = installed.run(Map.of("JAVA_HOME", java.get("JAVA_HOME"), "APPMETRICA_LOADER_OPTS", "-Xlog:class+load=info"), "--version");
        assertEquals(0, r.exitCode(), r.both());
        assertTrue(r.out().contains("Java " + feature(Path.of(java.get("JAVA_HOME")))), r.both());
        assertTrue(r.out().contains("org.appmetrica.loader.standalone.LoaderCli source: shared objects file"), r.both());
        assertEquals("", r.err(), "nothing on standard error");
    }

    @Test
    void aLoadPrintsNoWarning() throws Exception {
        String database = env.freshDatabase(TestClickHouse.database("it_release_jdk25"));
        Installed.Result run = installed.run(Map.of("JAVA_HOME", java.get("JAVA_HOME"), "APPMETRICA_TOKEN", TOKEN),
                "--data-dir", installed.home.resolveSibling("data").toString(), "run",
                "applicationIds=702", "sources=events", "dateSince=2024-05-01", "dateUntil=2024-05-02", "apiUrl=" + env.apiUrl(),
                "pollIntervalSeconds=0", "clickhouseUrl=" + TestClickHouse.jdbcUrl(),
                "clickhouseDatabase=" + database);
        assertEquals(0, run.exitCode(), run.both());
        assertEquals(2 * ROWS, env.clickhouse().queryLong("SELECT count() FROM " + database + ".events"));
        assertEquals("", run.err(), "nothing on standard error");
        assertFalse(run.both().contains("WARNING"), run.both());
        assertFalse(run.both().contains(TOKEN));
    }
}
