package org.appmetrica.loader.release;

import org.appmetrica.loader.admin.PasswordHash;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The release archive as a user installs it: unpacked into an empty directory, every command run from {@code /} as a
 * separate process through bin/appmetrica-loader (with the class-data-sharing archive made by --create-cds), and the
 * systemd units checked by systemd-analyze and run by hand.
 */
class ReleaseArchiveIT {

    private static final String TOKEN = "release-secret-token-4d2c";
    private static final int ROWS = 150;
    private static final String CDS_REFUSED = "Unable to use shared archive";
    private static final Pattern LISTENING = Pattern.compile("admin console: (http://127\\.0\\.0\\.1:\\d+/)console/");

    @RegisterExtension
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(SimulatorConfig.defaults(TOKEN).withRowsPerDay(ROWS).withReadyAfter(0).withSeed(29));
    private static Path archive;
    private static Path scratch;
    private static Installed installed;
    private static Map<String, String> java;

    @BeforeAll
    static void install() throws Exception {
        archive = Path.of(System.getProperty("release.archive"));
        scratch = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "release");
        installed = Installed.unpack(archive, scratch.resolve("install"));
        java = Map.of("JAVA_HOME", System.getProperty("java.home"));
        Installed.Result cds = installed.run(java, "--create-cds");
        assertEquals(0, cds.exitCode(), cds.both());
        assertTrue(Files.isRegularFile(installed.home.resolve("cds/appmetrica-loader.jsa")), cds.both());
    }

    private static Map<String, String> with(Map<String, String> base, String... pairs) {
        Map<String, String> m = new HashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private static Path privateFile(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @Test
    void noticeNamesEveryBundledLibraryAndLicenseIsApache() throws Exception {
        String notice = Files.readString(installed.home.resolve("NOTICE"));
        List<String> jars;
        try (Stream<Path> lib = Files.list(installed.home.resolve("lib"))) {
            jars = lib.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().toList();
        }
        assertFalse(jars.isEmpty());
        List<String> missing = jars.stream().filter(jar -> !notice.contains("\n" + jar + "  (")).toList();
        assertEquals(List.of(), missing, "NOTICE lacks these jars of lib/: make it again with src/release/notice.py");
        assertTrue(Files.readString(installed.home.resolve("LICENSE")).contains("Apache License"));
    }

    @Test
    void versionFromAnyDirectoryWithTheArchiveAndNoWarning() throws Exception {
        Installed.Result r = installed.run(with(java, "APPMETRICA_LOADER_OPTS", "-Xlog:class+load=info"), "--version");
        assertEquals(0, r.exitCode(), r.both());
        assertTrue(r.out().contains("appmetrica-loader " + System.getProperty("project.version")), r.both());
        // the launcher's own class came from the archive made by --create-cds: the JVM took it by its absolute path
        assertTrue(r.out().contains("org.appmetrica.loader.standalone.LoaderCli source: shared objects file (top)"), r.both());
        assertEquals("", r.err(), "nothing on standard error");
    }

    @Test
    void theLauncherBoundsTheYoungGenerationUnlessTheUserSaysOtherwise() throws Exception {
        Pattern maxNewSize = Pattern.compile("size_t MaxNewSize\\s+= (\\d+) ");
        Installed.Result byDefault = installed.run(with(java, "APPMETRICA_LOADER_OPTS", "-XX:+PrintFlagsFinal"), "--version");
        assertEquals(0, byDefault.exitCode(), byDefault.both());
        Matcher m = maxNewSize.matcher(byDefault.out());
        assertTrue(m.find(), byDefault.out());
        assertEquals(32L << 20, Long.parseLong(m.group(1)));

        Installed.Result users = installed.run(with(java, "JAVA_OPTS", "-XX:MaxNewSize=64m",
                "APPMETRICA_LOADER_OPTS", "-XX:+PrintFlagsFinal"), "--version");
        assertEquals(0, users.exitCode(), users.both());
        m = maxNewSize.matcher(users.out());
        assertTrue(m.find(), users.out());
        assertEquals(64L << 20, Long.parseLong(m.group(1)), "the user's option comes last and wins");
    }

    @Test
    void anArchiveTheJvmRefusesIsSkippedSilently() throws Exception {
        // a second installation given the first one's archive: other jar paths, so the JVM refuses it
        Installed other = Installed.unpack(archive, scratch.resolve("other"));
        Installed.Result r = other.run(with(java, "APPMETRICA_LOADER_CDS", installed.home.resolve("cds/appmetrica-loader.jsa").toString(),
                "APPMETRICA_LOADER_OPTS", "-Xlog:class+load=info"), "--version");
        assertEquals(0, r.exitCode(), r.both());
        assertTrue(r.out().contains("org.appmetrica.loader.standalone.LoaderCli source: file:"), "started without the archive: " + r.both());
        assertFalse(r.both().contains(CDS_REFUSED), r.both());
        assertFalse(r.both().contains("[warning]"), r.both());
        assertEquals("", r.err());
    }

    @Test
    void aLoadAndExecutionsWithTheGlobalOptionsFromConfig() throws Exception {
        String database = env.freshDatabase(TestClickHouse.database("it_release_run"));
        Path config = privateFile(scratch.resolve("loader.properties"), "data-dir=" + scratch.resolve("data-run") + "\nlog-format=human\n");
        Installed.Result run = installed.run(with(java, "APPMETRICA_TOKEN", TOKEN), "--config", config.toString(), "run",
                "applicationIds=701", "sources=events", "dateSince=2024-05-01", "dateUntil=2024-05-02", "apiUrl=" + env.apiUrl(),
                "pollIntervalSeconds=0", "clickhouseUrl=" + TestClickHouse.jdbcUrl(), "clickhouseDatabase=" + database);
        assertEquals(0, run.exitCode(), run.both());
        assertEquals(2 * ROWS, env.clickhouse().queryLong("SELECT count() FROM " + database + ".events"));
        assertFalse(run.both().contains(CDS_REFUSED), run.both());
        assertEquals("", run.err(), "nothing on standard error");
        assertFalse(run.both().contains(TOKEN));
        Matcher id = Pattern.compile("execution id: (\\d+)").matcher(run.out());
        assertTrue(id.find(), run.out());
        assertTrue(Files.isDirectory(scratch.resolve("data-run")), "the data directory from --config");

        Installed.Result executions = installed.run(java, "--config", config.toString(), "executions");
        assertEquals(0, executions.exitCode(), executions.both());
        assertTrue(executions.out().matches("(?s).*\\n" + id.group(1) + "\\s+COMPLETED.*"), executions.both());
        assertEquals("", executions.err());
    }

    @Test
    void theConsoleAnswersItsLoginPageAndStopsOnTerm() throws Exception {
        Path users = privateFile(scratch.resolve("console-users"), "admin=" + PasswordHash.hash("release-pw-1".toCharArray()) + "\n");
        try (Installed.Running console = installed.start(java, List.of(installed.launcher().toString(), "--data-dir",
                scratch.resolve("data-console").toString(), "console", "--port", "0", "--users", users.toString()))) {
            assertLoginPage(console);
            Installed.Result stopped = console.terminate();
            assertEquals(0, stopped.exitCode(), stopped.both());
            assertTrue(stopped.out().contains("console: stopping (TERM)"), stopped.both());
            assertEquals("", stopped.err(), "nothing on standard error");
        }
    }

    private static void assertLoginPage(Installed.Running console) throws Exception {
        String out = console.awaitOut(t -> LISTENING.matcher(t).find(), 120);
        Matcher m = LISTENING.matcher(out);
        assertTrue(m.find());
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(m.group(1) + "console/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("id=\"login-form\""), page.body());
    }

    // ------------------------------------------------------------------ systemd units

    private static final List<String> UNITS = List.of("appmetrica-loader-schedule.service", "appmetrica-loader-console.service");

    /** The unit with the installation's paths for /opt/appmetrica-loader (as docs/install.md installs it). */
    private static Path unitHere(String name) throws Exception {
        Path copy = scratch.resolve("units").resolve(name);
        Files.createDirectories(copy.getParent());
        Files.writeString(copy, Files.readString(installed.home.resolve("systemd").resolve(name)).replace("/opt/appmetrica-loader", installed.home.toString()));
        return copy;
    }

    @Test
    void systemdAnalyzeVerifiesTheUnits() throws Exception {
        Path tool = Path.of("/usr/bin/systemd-analyze");
        if (!Files.isExecutable(tool)) {
            System.out.println("ReleaseArchiveIT: skipping systemd-analyze verify: " + tool + " is missing (Debian package systemd)");
            Assumptions.abort(tool + " is missing (Debian package systemd)");
        }
        List<String> command = new ArrayList<>(List.of(tool.toString(), "verify"));
        for (String unit : UNITS) {
            command.add(unitHere(unit).toString());
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), output);
        // unknown keys, bad values and missing commands are warnings that name the unit file
        assertFalse(output.contains("appmetrica-loader-"), output);
    }

    /**
     * What systemd does for the unit, by hand: its credentials copied into a credentials directory (mode 400), its
     * Environment=, %S and %d and the paths of /etc/appmetrica-loader and /opt/appmetrica-loader given, ExecStart run.
     */
    private static Installed.Running startUnit(String name, Path etc, Path state, String... replacements) throws Exception {
        UnitFile unit = UnitFile.read(installed.home.resolve("systemd").resolve(name));
        Path credentials = Files.createDirectories(scratch.resolve("credentials-" + name));
        for (String credential : unit.all("LoadCredential")) {
            String[] idAndPath = credential.split(":", 2);
            Path target = credentials.resolve(idAndPath[0]);
            Files.copy(Path.of(idAndPath[1].replace("/etc/appmetrica-loader", etc.toString())), target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r--------"));
        }
        String line = unit.one("ExecStart").replace("/opt/appmetrica-loader", installed.home.toString())
                .replace("/etc/appmetrica-loader", etc.toString()).replace("%S", state.toString()).replace("%d", credentials.toString());
        for (int i = 0; i < replacements.length; i += 2) {
            line = line.replace(replacements[i], replacements[i + 1]);
        }
        Map<String, String> environment = new HashMap<>(unit.environment());
        environment.putAll(java);
        environment.put("CREDENTIALS_DIRECTORY", credentials.toString());
        environment.put("STATE_DIRECTORY", state.resolve(unit.one("StateDirectory")).toString());
        return installed.start(environment, Arrays.asList(line.split(" +")));
    }

    /** /etc/appmetrica-loader as docs/install.md sets it up: the example global options, the token, the users file. */
    private static Path etc(String name) throws Exception {
        Path etc = Files.createDirectories(scratch.resolve(name));
        Files.copy(installed.home.resolve("conf/appmetrica-loader.properties"), etc.resolve("appmetrica-loader.properties"));
        privateFile(etc.resolve("appmetrica-token"), TOKEN + "\n");
        privateFile(etc.resolve("console-users"), "admin=" + PasswordHash.hash("release-pw-2".toCharArray()) + "\n");
        return etc;
    }

    private static Set<Integer> successCodes(String name) throws Exception {
        Set<Integer> codes = UnitFile.read(installed.home.resolve("systemd").resolve(name)).all("SuccessExitStatus").stream()
                .flatMap(v -> Stream.of(v.split(" +"))).map(Integer::valueOf).collect(Collectors.toSet());
        codes.add(0);
        return codes;
    }

    @Test
    void theScheduleUnitRunsTheRegularConnectionsWithTheTokenFromItsCredentialAndStopsOnTerm() throws Exception {
        String name = "appmetrica-loader-schedule.service";
        String database = env.freshDatabase(TestClickHouse.database("it_release_schedule"));
        Path etc = etc("etc-schedule");
        Path state = Files.createDirectories(scratch.resolve("state-schedule"));
        Path dataDir = state.resolve("appmetrica-loader");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Path connection = privateFile(scratch.resolve("shop.json"), "{\"name\": \"shop\", \"applications\": [702], \"sources\": {\"events\": {}}, "
                + "\"loadFrom\": \"" + today.minusDays(3) + "\", \"regularity\": \"regular\", \"schedule\": \"03:00\", \"timeZone\": \"UTC\", "
                + "\"reloadDays\": 1, \"apiUrl\": \"" + env.apiUrl() + "\", \"tokenRef\": \"env:APPMETRICA_TOKEN\", "
                + "\"target\": {\"url\": \"" + TestClickHouse.jdbcUrl() + "\", \"database\": \"" + database + "\"}}");
        Installed.Result added = installed.run(java, "--config", etc.resolve("appmetrica-loader.properties").toString(),
                "--data-dir", dataDir.toString(), "connections", "add", "--file", connection.toString());
        assertEquals(0, added.exitCode(), added.both());

        try (Installed.Running schedule = startUnit(name, etc, state)) {
            String out = schedule.awaitOut(t -> t.contains("shop: execution "), 240);
            assertTrue(out.matches("(?s).*shop: execution \\d+ COMPLETED\\n.*"), out);
            assertEquals(3 * ROWS, env.clickhouse().queryLong("SELECT count() FROM " + database + ".events"), "the 3 days before today");
            Installed.Result stopped = schedule.terminate();
            assertTrue(successCodes(name).contains(stopped.exitCode()), stopped.both());
            assertTrue(stopped.out().contains("stopping the schedule (TERM)"), stopped.both());
            assertFalse(stopped.both().contains(TOKEN));
            assertEquals("", stopped.err(), "nothing on standard error");
        }
    }

    @Test
    void theConsoleUnitAnswersWithItsUsersFromItsCredentialAndStopsOnTerm() throws Exception {
        String name = "appmetrica-loader-console.service";
        Path state = Files.createDirectories(scratch.resolve("state-console"));
        try (Installed.Running console = startUnit(name, etc("etc-console"), state, "--port 8085", "--port 0")) {
            assertLoginPage(console);
            assertTrue(console.out().contains("job repository in " + state.resolve("appmetrica-loader")), console.out());
            Installed.Result stopped = console.terminate();
            assertTrue(successCodes(name).contains(stopped.exitCode()), stopped.both());
            assertEquals("", stopped.err(), "nothing on standard error");
        }
    }
}
