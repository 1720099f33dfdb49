package org.appmetrica.loader.wildfly;

import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the Arquillian WildFly ITs share: the managed server the build unpacked (container "wildfly", manual mode:
 * the test starts it, Arquillian stops it after the test class), target/appmetrica-loader.war as a deployment the test
 * deploys itself, and docs/wildfly.md's first steps on a fresh server. The simulator and ClickHouse come from
 * {@link org.appmetrica.loader.testing.SimulatorAndClickHouse}; the management operations from {@link WildFlyServer}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class ManagedWildFly {

    static final String CONTAINER = "wildfly";

    @ArquillianResource
    ContainerController controller;
    @ArquillianResource
    Deployer deployer;

    /** The WAR the build produced, unchanged. */
    @Deployment(name = WildFlyServer.DEPLOYMENT, managed = false, testable = false)
    @TargetsContainer(CONTAINER)
    static WebArchive war() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("war.file")));
    }

    /**
     * Starts the server as the build unpacked it, whatever another test class did to it before (see
     * {@link WildFlyServer#resetToFirstConfiguration()}), with an empty spool directory.
     */
    void startFreshServer(Path spoolDir) throws IOException {
        WildFlyServer.resetToFirstConfiguration();
        WildFlyServer.deleteTree(spoolDir);
        controller.start(CONTAINER);
    }

    /** docs/wildfly.md's steps on the running server: configure.sh with the token and ClickHouse, then the WAR deployed. */
    void configureAndDeploy(String token) throws Exception {
        WildFlyServer.CliRun configured = WildFlyServer.configure(token, WildFlyServer.clickhouseJdbcUrl());
        assertEquals(0, configured.exitCode(), configured.output());
        deployer.deploy(WildFlyServer.DEPLOYMENT);
    }

    /** A directory of target/ for the loads' spool (spoolDir), one per test class. */
    static Path spoolDir(String name) {
        return Path.of(System.getProperty("war.file")).resolveSibling(name);
    }
}
