package org.appmetrica.loader;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The packages of the main code, read from the compiled classes: no cycle, and every import points down this table.
 * A package may use the packages of the rows below its own, never a row above nor another package of its own row.
 */
class ArchitectureTest {

    private static final String ROOT = "org.appmetrica.loader";

    /** Bottom first. The data path logsapi → reader → processor → writer → clickhouse only ever looks back. */
    private static final List<List<String>> LAYERS = List.of(
            List.of("config", "schema", "coordination"),  // settings, secrets, the tables' layout, the job repository's leases
            List.of("logsapi", "clickhouse"),             // the two clients: the data path's source and its sink
            List.of("model"),                             // load parameters, slices, what the batch artifacts share
            List.of("metrics"),                           // counters the data path feeds; knows no stage
            List.of("reader"),                            // the data path's stages, each may use the ones before it
            List.of("processor"),
            List.of("writer"),
            List.of("job"),                               // the job's other artifacts: partition mapper, batchlets, listeners
            List.of("regular"),                           // loads on a schedule
            List.of("connection"),
            List.of("admin", "simulator"),                // what the consoles and the CLI call; the simulator stands alone
            List.of("standalone.console"),
            List.of("standalone"));                       // the CLI: wires everything

    private static JavaClasses classes;

    @BeforeAll
    static void read() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
    }

    @Test
    void noPackageCycle() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void everyPackageHasItsRow() {
        Set<String> known = LAYERS.stream().flatMap(List::stream).map(p -> ROOT + "." + p).collect(Collectors.toCollection(TreeSet::new));
        Set<String> found = classes.stream().map(JavaClass::getPackageName).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(known, found, "a new package needs its row in LAYERS (and a package that went must leave it)");
    }

    @Test
    void importsPointDown() {
        for (int row = 0; row < LAYERS.size(); row++) {
            for (String p : LAYERS.get(row)) {
                List<String> forbidden = new ArrayList<>();
                for (int above = row; above < LAYERS.size(); above++) {
                    LAYERS.get(above).stream().filter(q -> !q.equals(p)).forEach(q -> forbidden.add(ROOT + "." + q));
                }
                if (!forbidden.isEmpty()) {
                    noClasses().that().resideInAPackage(ROOT + "." + p)
                            .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                            .because(p + " sits below them (ArchitectureTest.LAYERS)")
                            .check(classes);
                }
            }
        }
    }
}
