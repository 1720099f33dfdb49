package org.appmetrica.loader.standalone;

import picocli.CommandLine;

/** {@code --version}: the jar's Implementation-Version (from the pom) and the Java runtime. */
final class LoaderVersion implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = LoaderVersion.class.getPackage().getImplementationVersion();
        return new String[] {"appmetrica-loader " + (version == null ? "(development build)" : version),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", " + System.getProperty("java.home") + ")"};
    }
}
