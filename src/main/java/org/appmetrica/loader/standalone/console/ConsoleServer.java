package org.appmetrica.loader.standalone.console;

import io.undertow.Undertow;
import io.undertow.servlet.api.DeploymentInfo;
import org.appmetrica.loader.admin.ConsoleServices;
import org.appmetrica.loader.admin.UserStore;
import org.jboss.resteasy.core.ResteasyDeploymentImpl;
import org.jboss.resteasy.plugins.server.undertow.UndertowJaxrsServer;
import org.jboss.resteasy.spi.ResteasyDeployment;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;

/**
 * The admin API and the console page in the standalone {@code console} command: the WAR's JAX-RS resources
 * ({@link StandaloneApplication}) on an embedded Undertow through RESTEasy, with the console's own login.
 * <p>Authentication: a login form posts to {@code /api/login}, which answers with a session cookie (HttpOnly,
 * SameSite=Strict); scripts may send HTTP Basic credentials instead. Both are checked against the users file
 * ({@link UserStore}, PBKDF2 hashes). Every resource method needs a login except those marked
 * {@link org.appmetrica.loader.admin.Public}: the page's static files (they hold no data), login and logout. POSTs must be {@code application/json}, which no other site's page can send.
 */
public final class ConsoleServer implements AutoCloseable {

    private static final int THREADS = 8;

    private final ConsoleServices services;
    private final UserStore users;
    private final InetSocketAddress address;
    private Collection<String> hostNames = List.of();
    private String metricsToken;
    private Server server;

    /** UndertowJaxrsServer, telling where it listens (port 0 takes any free port). */
    private static final class Server extends UndertowJaxrsServer {
        InetSocketAddress address() {
            return (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        }
    }

    public ConsoleServer(ConsoleServices services, UserStore users, String bind, int port) throws IOException {
        this.services = services;
        this.users = users;
        this.address = new InetSocketAddress(InetAddress.getByName(bind), port);
    }

    /**
     * The names besides IP addresses and {@code localhost} that browsers may use to reach the console (its Host
     * header). Any other name is refused, so that a web page cannot reach the console through DNS rebinding.
     */
    public ConsoleServer hostNames(Collection<String> names) {
        this.hostNames = List.copyOf(names);
        return this;
    }

    /** A token that a scraper may send as {@code Authorization: Bearer} for GET /metrics only; null: none. */
    public ConsoleServer metricsToken(String token) {
        this.metricsToken = token;
        return this;
    }

    public ConsoleServer start() throws IOException {
        Logins logins = new Logins(users, !address.getAddress().isLoopbackAddress());
        ResteasyDeployment deployment = new ResteasyDeploymentImpl();
        deployment.setApplication(new StandaloneApplication(services, logins, new FrontDoor(hostNames), metricsToken));
        Server s = new Server();
        DeploymentInfo info = s.undertowDeployment(deployment)
                .setDeploymentName("appmetrica-console")
                .setContextPath("/")
                .setClassLoader(Thread.currentThread().getContextClassLoader()); // JBeret reads its configuration and job XML through it
        s.deploy(info);
        try {
            s.start(Undertow.builder().addHttpListener(address.getPort(), address.getAddress().getHostAddress()).setWorkerThreads(THREADS));
        } catch (RuntimeException e) {
            s.stop();
            if (e.getCause() instanceof IOException io) { // Undertow wraps a failed bind
                throw io;
            }
            throw e;
        }
        server = s;
        return this;
    }

    public int port() {
        return server.address().getPort();
    }

    /** http://host:port/ as a browser would open it. */
    public String url() {
        InetAddress a = server.address().getAddress();
        String host = a.isAnyLocalAddress() ? "127.0.0.1" : a.getHostAddress().contains(":") ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
        return "http://" + host + ":" + port() + "/";
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
    }
}
